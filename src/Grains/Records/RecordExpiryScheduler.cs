using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.Grains.Records;

/// <summary>
/// Makes sure the expiry sweep's reminder exists when a silo starts (registered after the silo, so its grains are
/// callable). Registering is idempotent, so every silo doing it is harmless.
/// </summary>
internal sealed class RecordExpiryScheduler(IGrainFactory grains, ILogger<RecordExpiryScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await grains.GetGrain<IRecordExpiryGrain>(IRecordExpiryGrain.Key).EnsureScheduledAsync();
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && attempt < 30)
            {
                // A silo joining a cluster may not reach the reminder service at once.
                logger.LogDebug(ex, "Scheduling the expiry sweep failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
