using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Vectros.Runtime.Tests;

/// <summary>A started host running the grain runtime against a test database, with short timings.</summary>
public sealed class RuntimeHost : IAsyncDisposable
{
    private readonly IHost _host;
    private bool _stopped;

    private RuntimeHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public IRuntimeStatistics Statistics => Services.GetRequiredService<IRuntimeStatistics>();

    public static async Task<RuntimeHost> StartAsync(string connectionString, Action<RuntimeOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddVectrosRuntime(options =>
        {
            options.ResponseTimeout = TimeSpan.FromSeconds(20);
            options.ReminderPollInterval = TimeSpan.FromMilliseconds(100);
            options.ReminderLeaseTime = TimeSpan.FromSeconds(20);
            configure?.Invoke(options);
        });
        builder.Services.AddGrainsFrom(typeof(TestGrains).Assembly);
        builder.Services.AddMigrations("runtime-tests", typeof(TestGrains).Assembly);
        var host = builder.Build();
        await host.StartAsync();
        return new RuntimeHost(host);
    }

    /// <summary>Activations of <typeparamref name="TGrain"/> in this host.</summary>
    public int ActivationsOf<TGrain>() => StatisticsOf<TGrain>()?.Activations ?? 0;

    public GrainTypeStatistics? StatisticsOf<TGrain>() =>
        Statistics.Snapshot().GrainTypes.SingleOrDefault(t => t.GrainType == typeof(TGrain).FullName);

    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
