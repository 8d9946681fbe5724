using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// Every <see cref="RuntimeOptions.CollectionQuantum"/>, deactivates activations idle for longer than
/// <see cref="RuntimeOptions.CollectionAge"/> (DESIGN §3 "Activation").
/// </summary>
internal sealed class IdleCollector(
    GrainCatalog catalog,
    IOptions<RuntimeOptions> options,
    TimeProvider timeProvider,
    ILogger<IdleCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.CollectionQuantum, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                var collected = catalog.CollectIdle();
                if (collected > 0)
                {
                    RuntimeLog.IdleCollected(logger, collected);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }
}
