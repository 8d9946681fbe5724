using Microsoft.Extensions.Logging;
using Vectros.Runtime.Hosting;

namespace Vectros.Runtime.Timers;

/// <summary>
/// An in-memory grain timer (DESIGN §3 "Timers are in-memory only"). Each due time enqueues a
/// <see cref="TimerTick"/>; the next one is scheduled when that turn ends, so ticks never pile up.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly object _lock = new();
    private readonly GrainActivation _activation;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly TimeSpan _period;
    private readonly ILogger _logger;
    // Not disposed: it owns no timer or wait handle, and a running callback may still hold its token.
    private readonly CancellationTokenSource _cancellation = new();
    private readonly ITimer _timer;
    private bool _disposed;

    public GrainTimer(
        GrainActivation activation,
        Func<CancellationToken, Task> callback,
        TimeSpan dueTime,
        TimeSpan period,
        TimeProvider timeProvider,
        ILogger logger)
    {
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Due time must not be negative.");
        }

        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, "Period must be positive, or Timeout.InfiniteTimeSpan for one tick.");
        }

        _activation = activation;
        _callback = callback;
        _period = period;
        _logger = logger;
        // Created stopped and started afterwards, so a zero due time cannot fire before _timer is set.
        _timer = timeProvider.CreateTimer(static state => ((GrainTimer)state!).OnDue(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Runs the callback; called as a turn of the activation.</summary>
    public async Task TickAsync()
    {
        if (Volatile.Read(ref _disposed))
        {
            return;
        }

        try
        {
            await _callback(_cancellation.Token);
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            // Disposed while running: the callback honoured its token.
        }
        catch (Exception error)
        {
            RuntimeLog.TimerCallbackFailed(_logger, error, _activation.GrainId);
        }
        finally
        {
            lock (_lock)
            {
                if (!_disposed && _period != Timeout.InfiniteTimeSpan)
                {
                    _timer.Change(_period, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _timer.Dispose();
        }

        _cancellation.Cancel();
        _activation.RemoveTimer(this);
    }

    private void OnDue()
    {
        if (!Volatile.Read(ref _disposed) && !_activation.TryEnqueue(new TimerTick(this)))
        {
            Dispose();
        }
    }
}
