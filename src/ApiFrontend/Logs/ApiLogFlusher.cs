using Microsoft.Extensions.Options;
using Orleans;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.ApiFrontend.Logs;

/// <summary>
/// Drains <see cref="ApiLogBuffer"/> in batches to <see cref="IApiLogWriterGrain"/> (binary COPY). A failed batch is
/// counted as dropped and logged, never retried into an unbounded backlog. On shutdown it writes what is still queued
/// (it stops before the co-hosted silo, which was registered first, so the writer grain is still reachable).
/// </summary>
public sealed partial class ApiLogFlusher(
    ApiLogBuffer buffer, IGrainFactory grains, IOptions<ApiLogBufferOptions> options, ILogger<ApiLogFlusher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let a batch gather for a moment: fewer, larger COPYs under load.
                if (options.Value.FlushInterval > TimeSpan.Zero && buffer.Reader.Count < options.Value.BatchSize)
                {
                    await Task.Delay(options.Value.FlushInterval, stoppingToken);
                }

                await FlushAsync(drainAll: false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync writes the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await FlushAsync(drainAll: true).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogShutdownFlushCut(logger, buffer.Reader.Count);
        }
    }

    private async Task FlushAsync(bool drainAll)
    {
        do
        {
            var calls = new List<ApiCallEntry>();
            var reads = new List<ReadAccessEntry>();
            while (calls.Count + reads.Count < options.Value.BatchSize && buffer.Reader.TryRead(out var item))
            {
                if (item.Call is { } call)
                {
                    calls.Add(call);
                }
                else if (item.Read is { } read)
                {
                    reads.Add(read);
                }
            }

            var count = calls.Count + reads.Count;
            if (count == 0)
            {
                return;
            }

            try
            {
                await grains.GetGrain<IApiLogWriterGrain>(0).AppendAsync(new ApiLogBatch(calls, reads));
                buffer.CountWritten(count);
            }
            catch (Exception ex)
            {
                buffer.CountFailed(count);
                LogWriteFailed(logger, ex, count);
            }
        }
        while (drainAll || buffer.Reader.Count >= options.Value.BatchSize);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Entries} log entries failed; they are dropped and counted")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int entries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown cut the log flush short; {Entries} entries were not written")]
    private static partial void LogShutdownFlushCut(ILogger logger, int entries);
}
