using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Outbox;

/// <summary>
/// Drains the outbox: leases due rows, runs their handler, deletes them on success and backs off on failure.
/// Leases lapse on a crash, so work interrupted mid-way resumes on the next start (or on another silo).
/// </summary>
public sealed partial class OutboxWorker(
    OutboxStore store,
    OutboxSignal signal,
    IEnumerable<IOutboxHandler> handlers,
    IOptions<OutboxOptions> options,
    ILogger<OutboxWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, IOutboxHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
    private readonly string _owner = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var opts = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled = 0;
            try
            {
                var batch = await store.LeaseAsync(_owner, _handlers.Keys, opts.LeaseTime, opts.BatchSize, stoppingToken);
                await Parallel.ForEachAsync(
                    batch, new ParallelOptions { MaxDegreeOfParallelism = opts.Parallelism, CancellationToken = stoppingToken },
                    async (message, ct) => await HandleOneAsync(message, opts, ct));
                handled = batch.Count;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogPollFailed(logger, ex.GetType().Name);
            }

            if (handled == 0)
            {
                try
                {
                    await signal.WaitAsync(opts.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleOneAsync(OutboxMessage message, OutboxOptions opts, CancellationToken ct)
    {
        try
        {
            // Handlers call renew after each step of long work; a lease still two thirds fresh is left alone, which
            // spares short items (most of them) a round trip.
            var leased = Stopwatch.StartNew();
            await _handlers[message.Kind].HandleAsync(message, async () =>
            {
                if (leased.Elapsed > opts.LeaseTime / 3)
                {
                    await store.RenewAsync(message.Id, _owner, opts.LeaseTime, ct);
                    leased.Restart();
                }
            }, ct);
            await store.CompleteAsync(message.Id, _owner, CancellationToken.None);
            LogHandled(logger, message.Kind, message.Id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: leave the lease to lapse so another start resumes the work.
            throw;
        }
        catch (Exception ex)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(opts.MaxRetryDelay.TotalSeconds, Math.Pow(2, Math.Min(message.Attempts, 16))));
            LogHandlerFailed(logger, message.Kind, message.Id, message.Attempts, ex.GetType().Name);
            await store.FailAsync(message.Id, _owner, ex.GetType().Name, delay, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox {Kind} row {Id} done")]
    private static partial void LogHandled(ILogger logger, string kind, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox {Kind} row {Id} failed on attempt {Attempt} ({ErrorType}); will retry")]
    private static partial void LogHandlerFailed(ILogger logger, string kind, long id, int attempt, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox poll failed ({ErrorType})")]
    private static partial void LogPollFailed(ILogger logger, string errorType);
}
