using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Silo.Storage;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Grains.Tests;

/// <summary>The migration runner: each script once, safe to run concurrently, and no trust in an edited history.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Scripts_apply_once_in_module_order_with_their_checksums_even_when_two_processes_start_together()
    {
        await using var database = await TestDatabase.CreateAsync("migrations");
        await using var one = TestMigrations.Build(database.ConnectionString);
        await using var two = TestMigrations.Build(database.ConnectionString);
        var runner = one.GetRequiredService<MigrationRunner>();
        Assert.False(await runner.IsUpToDateAsync(CancellationToken.None));

        await Task.WhenAll(
            runner.ApplyAsync(CancellationToken.None),
            two.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None));
        await runner.ApplyAsync(CancellationToken.None);

        Assert.True(await runner.IsUpToDateAsync(CancellationToken.None));
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT module, name, checksum FROM schema_migrations ORDER BY applied_at, module, version");
        await using var reader = await cmd.ExecuteReaderAsync();
        var applied = new List<(string Module, string Name, string Checksum)>();
        while (await reader.ReadAsync())
        {
            applied.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        Assert.Equal(["orleans/0001_orleans_providers", "grains/0001_baseline", "grains/0004_lookup_sort_keys"], applied.Select(a => $"{a.Module}/{a.Name}"));
        Assert.Equal(runner.Scripts.Select(s => s.Checksum), applied.Select(a => a.Checksum));
    }

    [Fact]
    public async Task A_changed_applied_migration_stops_the_runner_and_the_server_naming_the_file()
    {
        await using var database = await TestDatabase.CreateAsync("checksum");
        await TestMigrations.ApplyAsync(database.ConnectionString);
        await using (var db = NpgsqlDataSource.Create(database.ConnectionString))
        {
            // The same as editing the file after it was applied: the recorded and current checksums differ.
            await using var cmd = db.CreateCommand(
                "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE module = 'grains' AND version = 1");
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        await using var services = TestMigrations.Build(database.ConnectionString);
        var refused = await Assert.ThrowsAsync<MigrationChecksumException>(
            () => services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None));
        Assert.Contains("grains/0001_baseline.sql", refused.Message, StringComparison.Ordinal);
        Assert.False(await services.GetRequiredService<MigrationRunner>().IsUpToDateAsync(CancellationToken.None));

        var startup = await Assert.ThrowsAsync<MigrationChecksumException>(() => VectrosTestServer.StartAsync(database.ConnectionString));
        Assert.Contains("grains/0001_baseline.sql", startup.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_from_before_the_baseline_is_refused_with_how_to_recreate_it()
    {
        await using var database = await TestDatabase.CreateAsync("prebaseline");
        await using (var db = NpgsqlDataSource.Create(database.ConnectionString))
        {
            // What the retired runtime's runner left behind: no checksum column.
            await using var cmd = db.CreateCommand(
                """
                CREATE TABLE schema_migrations (module text, version integer, name text, applied_at timestamptz, PRIMARY KEY (module, version));
                INSERT INTO schema_migrations VALUES ('grains', 1, '0001_accounts', now());
                """);
            await cmd.ExecuteNonQueryAsync();
        }

        await using var services = TestMigrations.Build(database.ConnectionString);
        var refused = await Assert.ThrowsAsync<MigrationChecksumException>(
            () => services.GetRequiredService<MigrationRunner>().ApplyAsync(CancellationToken.None));
        Assert.Contains("baseline", refused.Message, StringComparison.Ordinal);
        Assert.Contains("./vectros db reset", refused.Message, StringComparison.Ordinal);
    }
}
