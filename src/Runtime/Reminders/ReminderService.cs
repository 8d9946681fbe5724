using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Runtime.Hosting;
using Vectros.Runtime.Statistics;

namespace Vectros.Runtime.Reminders;

/// <summary>
/// Polls the <c>reminders</c> table every <see cref="RuntimeOptions.ReminderPollInterval"/>, leases due rows
/// and delivers each as an ordinary <see cref="IRemindable.ReceiveReminder"/> call (DESIGN §3 "Reminders").
/// </summary>
internal sealed class ReminderService(
    ReminderTable table,
    GrainTypeRegistry registry,
    GrainCatalog catalog,
    RuntimeStatistics statistics,
    IOptions<RuntimeOptions> options,
    TimeProvider timeProvider,
    ILogger<ReminderService> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private readonly RuntimeOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReminderPollInterval, timeProvider);
        try
        {
            do
            {
                try
                {
                    // A full batch means more may be due: poll again at once.
                    while (await PollOnceAsync(stoppingToken).ConfigureAwait(false) == BatchSize)
                    {
                    }
                }
                catch (Exception error) when (error is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    RuntimeLog.ReminderPollFailed(logger, error);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host stopping.
        }
    }

    private async Task<int> PollOnceAsync(CancellationToken cancellationToken)
    {
        var leased = await table.LeaseDueAsync(_options.SiloName, _options.ReminderLeaseTime, BatchSize, cancellationToken)
            .ConfigureAwait(false);
        await Task.WhenAll(leased.Select(DeliverAsync)).ConfigureAwait(false);
        return leased.Count;
    }

    // Completion and release use no token: once leased, the row should not be left leased by a stop.
    private async Task DeliverAsync(LeasedReminder reminder)
    {
        try
        {
            if (!registry.TryGet(reminder.GrainId.Type, out var registration) || registration.Class.ReceiveReminder is not { } method)
            {
                throw new InvalidOperationException(
                    $"No registered grain class implementing IRemindable serves grain type {reminder.GrainId.Type}.");
            }

            var status = new TickStatus(reminder.FirstDue, reminder.Period, reminder.LeasedAt);
            await catalog.InvokeAsync(registration, reminder.GrainId, method, [reminder.Name, status]).ConfigureAwait(false);
            statistics.ReminderFired();
            RuntimeLog.ReminderDelivered(logger, reminder.GrainId, reminder.Name);
        }
        catch (Exception error)
        {
            RuntimeLog.ReminderDeliveryFailed(logger, error, reminder.GrainId, reminder.Name);
            await ReleaseQuietlyAsync(reminder).ConfigureAwait(false);
            return;
        }

        try
        {
            await table.CompleteAsync(reminder, _options.SiloName, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // The lease runs out and the tick is delivered again: reminders are at-least-once on failure.
            RuntimeLog.ReminderCompleteFailed(logger, error, reminder.GrainId, reminder.Name);
        }
    }

    private async Task ReleaseQuietlyAsync(LeasedReminder reminder)
    {
        try
        {
            await table.ReleaseAsync(reminder, _options.SiloName, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            RuntimeLog.ReminderCompleteFailed(logger, error, reminder.GrainId, reminder.Name);
        }
    }
}
