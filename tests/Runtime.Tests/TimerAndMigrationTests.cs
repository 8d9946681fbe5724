using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Vectros.Runtime.Storage;
using Vectros.Runtime.Tests.Grains;
using Vectros.TestSupport;

namespace Vectros.Runtime.Tests;

/// <summary>Timers as turns; migrations idempotent and safe to run concurrently.</summary>
public sealed class TimerAndMigrationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Timer_ticks_run_as_turns_of_the_activation()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<ITimerGrain>(probeId);
        await grain.StartAsync(probeId, TimeSpan.FromMilliseconds(10));

        var probe = Probe.For(probeId);
        await Eventually.TrueAsync(
            async () =>
            {
                await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => grain.WorkAsync(probeId)));
                return probe.Count("tick") >= 10;
            },
            "ten timer ticks among the calls");

        await grain.StopAsync();
        Assert.Equal(0, probe.Violations);
        Assert.Equal(1, probe.MaxInside);
    }

    [Fact]
    public async Task Migrations_are_idempotent_and_safe_to_run_concurrently()
    {
        await using var fresh = await TestDatabase.CreateAsync("migrations");
        await using var provider = BuildMigrationServices(fresh.ConnectionString);
        var runner = provider.GetRequiredService<MigrationRunner>();
        Assert.False(await runner.IsUpToDateAsync(CancellationToken.None));

        // Two processes starting at once: two runners over separate data sources.
        await using var other = BuildMigrationServices(fresh.ConnectionString);
        await Task.WhenAll(
            runner.ApplyAsync(CancellationToken.None),
            other.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None));
        await runner.ApplyAsync(CancellationToken.None);

        Assert.True(await runner.IsUpToDateAsync(CancellationToken.None));
        await using var dataSource = NpgsqlDataSource.Create(fresh.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT module, version, name FROM schema_migrations ORDER BY applied_at, module, version");
        await using var reader = await command.ExecuteReaderAsync();
        var applied = new List<string>();
        while (await reader.ReadAsync())
        {
            applied.Add($"{reader.GetString(0)}:{reader.GetInt32(1)}:{reader.GetString(2)}");
        }

        // Each script once; the runtime module before the others.
        Assert.Equal(["runtime:1:0001_grain_state", "runtime:2:0002_reminders", "runtime-tests:1:0001_test_notes"], applied);
    }

    private static ServiceProvider BuildMigrationServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddMigrations("runtime-tests", typeof(TestGrains).Assembly); // registered before the runtime's own
        services.AddVectrosRuntime();
        return services.BuildServiceProvider();
    }
}
