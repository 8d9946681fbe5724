using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Vectros.Grains.Logs;

/// <summary>
/// Deletes log rows past their configured age (<see cref="ApiLogRetentionOptions"/>) every purge interval. Every silo
/// runs it; a delete by age is idempotent, so overlapping runs only repeat work.
/// </summary>
internal sealed partial class ApiLogPurger(
    NpgsqlDataSource dataSource, IOptions<ApiLogRetentionOptions> options, TimeProvider time, ILogger<ApiLogPurger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var store = new ApiLogStore(dataSource);
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        do
        {
            try
            {
                var now = time.GetUtcNow();
                var deleted = await store.PurgeAsync(now - options.Value.MaxAge, now - options.Value.AccessLogMaxAge, stoppingToken);
                if (deleted > 0)
                {
                    LogPurged(logger, deleted);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogPurgeFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Rows} log rows past their retention")]
    private static partial void LogPurged(ILogger logger, long rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging old log rows failed; the next interval retries")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
