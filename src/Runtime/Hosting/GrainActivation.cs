using Microsoft.Extensions.DependencyInjection;
using Vectros.Runtime.Statistics;
using Vectros.Runtime.Storage;
using Vectros.Runtime.Timers;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// One activation of a grain: the grain instance, its mailbox and its turn scheduling (DESIGN §3 "Turns").
/// <para>
/// Code of the grain runs on a per-activation exclusive <see cref="TaskScheduler"/>, so it is
/// single-threaded even when calls interleave at awaits (reentrant or read-only), as in Orleans. On top
/// of that the mailbox decides when the next call may start: after the running one finishes, or
/// at once for [Reentrant] classes, or alongside other read-only calls for [ReadOnly] methods. No
/// thread is held while a turn awaits.
/// </para>
/// </summary>
internal sealed class GrainActivation
{
    /// <summary>The activation whose grain is being constructed on this thread (read by <see cref="Runtime.Grain"/>'s constructor).</summary>
    [ThreadStatic]
    internal static GrainActivation? UnderConstruction;

    private readonly object _lock = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskScheduler _scheduler = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly GrainCatalog _catalog;
    private readonly GrainTypeCounters _counters;
    private ActivationState _state = ActivationState.Activating;
    private int _running;
    private int _runningExclusive;
    private DeactivationReason? _pendingDeactivation;
    private long _idleSince;
    private int _load;
    private AsyncServiceScope? _scope;
    private Grain? _grain;

    public GrainActivation(GrainCatalog catalog, GrainRegistration registration, GrainId grainId, GrainTypeCounters counters)
    {
        _catalog = catalog;
        _counters = counters;
        Registration = registration;
        GrainId = grainId;
    }

    public GrainId GrainId { get; }

    public GrainRegistration Registration { get; }

    public Grain Grain => _grain ?? throw new InvalidOperationException($"Activation of {GrainId} has no grain instance.");

    public IGrainFactory GrainFactory => _catalog.GrainFactory;

    /// <summary>Queued plus running turns; read without the lock to place stateless worker calls.</summary>
    public int Load => Volatile.Read(ref _load);

    /// <summary>Activating or valid and not about to deactivate: new stateless worker calls may go here.</summary>
    public bool IsAcceptingWork
    {
        get
        {
            lock (_lock)
            {
                return _state is ActivationState.Activating or ActivationState.Valid && _pendingDeactivation is null;
            }
        }
    }

    /// <summary>Starts activating; calls enqueued meanwhile wait for it.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _running = 1;
            _runningExclusive = 1;
            UpdateLoadLocked();
        }

        _ = ActivateAsync();
    }

    /// <summary>Queues a turn; false when the activation is gone and the caller must look up the grain again.</summary>
    public bool TryEnqueue(WorkItem item)
    {
        lock (_lock)
        {
            if (_state == ActivationState.Invalid)
            {
                return false;
            }

            _queue.Enqueue(item);
            _counters.Enqueued();
            UpdateLoadLocked();
        }

        Pump();
        return true;
    }

    /// <summary>Deactivates once no turn is running; queued and later calls go to a fresh activation.</summary>
    public void RequestDeactivation(DeactivationReason reason)
    {
        lock (_lock)
        {
            if (_state is ActivationState.Activating or ActivationState.Valid)
            {
                _pendingDeactivation ??= reason;
            }
        }

        Pump();
    }

    /// <summary>Starts idle deactivation when nothing ran or waited for <paramref name="collectionAge"/>.</summary>
    public bool TryCollectIdle(TimeSpan collectionAge)
    {
        lock (_lock)
        {
            if (_state != ActivationState.Valid || _pendingDeactivation is not null || _running > 0 || _queue.Count > 0
                || _catalog.TimeProvider.GetElapsedTime(_idleSince) < collectionAge)
            {
                return false;
            }

            _pendingDeactivation = DeactivationReason.IdleTimeout;
        }

        Pump();
        return true;
    }

    /// <summary>Requests deactivation and completes when the activation is gone.</summary>
    public Task DeactivateAsync(DeactivationReason reason)
    {
        RequestDeactivation(reason);
        return _deactivated.Task;
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, dueTime, period, _catalog.TimeProvider, _catalog.Logger);
        lock (_lock)
        {
            if (_state is ActivationState.Deactivating or ActivationState.Invalid)
            {
                timer.Dispose();
                return timer;
            }

            _timers.Add(timer);
        }

        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    public Task RegisterOrUpdateReminderAsync(string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        ArgumentOutOfRangeException.ThrowIfLessThan(dueTime, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        if (Registration.Class.ReceiveReminder is null)
        {
            throw new InvalidOperationException(
                $"Grain class {Registration.Class.Type.FullName} must implement IRemindable to register reminders.");
        }

        return _catalog.Reminders.UpsertAsync(GrainId, reminderName, dueTime, period, CancellationToken.None);
    }

    public Task UnregisterReminderAsync(string reminderName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        return _catalog.Reminders.DeleteAsync(GrainId, reminderName, CancellationToken.None);
    }

    private async Task ActivateAsync()
    {
        Exception? failure = null;
        try
        {
            // Bounded even if OnActivateAsync ignores its token: a hung activation would make the grain
            // unreachable until restart, whereas a failed one is retried by the next call.
            await RunOnSchedulerAsync(ActivateGrainAsync)
                .WaitAsync(_catalog.Options.ResponseTimeout, _catalog.TimeProvider)
                .ConfigureAwait(false);
        }
        catch (Exception error)
        {
            failure = error;
        }

        if (failure is null)
        {
            lock (_lock)
            {
                _state = ActivationState.Valid;
                _running = 0;
                _runningExclusive = 0;
                _idleSince = _catalog.TimeProvider.GetTimestamp();
                UpdateLoadLocked();
            }

            Pump();
            return;
        }

        // The waiting calls fail with the activation's error; the next call tries a fresh activation.
        RuntimeLog.ActivationFailed(_catalog.Logger, failure, GrainId);
        DisposeTimers();
        await DisposeScopeAsync().ConfigureAwait(false);
        foreach (var item in Invalidate())
        {
            item.Fail(failure);
        }
    }

    private async Task ActivateGrainAsync()
    {
        var scope = _catalog.Services.CreateAsyncScope();
        _scope = scope;
        var states = Registration.Class.StateParameters.Select(p => p.Create(GrainId, _catalog.StateStore)).ToArray();
        UnderConstruction = this;
        try
        {
            _grain = (Grain)Registration.Class.Factory(scope.ServiceProvider, states);
        }
        finally
        {
            UnderConstruction = null;
        }

        using var cancellation = new CancellationTokenSource(_catalog.Options.ResponseTimeout, _catalog.TimeProvider);
        foreach (var state in states)
        {
            await state.ReadStateAsync(cancellation.Token);
        }

        await _grain.OnActivateAsync(cancellation.Token);
    }

    private async Task DeactivateCoreAsync(DeactivationReason reason)
    {
        try
        {
            await RunOnSchedulerAsync(async () =>
            {
                DisposeTimers();
                using var cancellation = new CancellationTokenSource(_catalog.Options.ResponseTimeout, _catalog.TimeProvider);
                await Grain.OnDeactivateAsync(reason, cancellation.Token);
            }).WaitAsync(_catalog.Options.ResponseTimeout, _catalog.TimeProvider).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // Including a timeout: waiting calls go to a fresh activation rather than wait forever.
            RuntimeLog.DeactivationFailed(_catalog.Logger, error, GrainId, reason);
        }

        await DisposeScopeAsync().ConfigureAwait(false);
        RuntimeLog.Deactivated(_catalog.Logger, GrainId, reason);

        // Calls that arrived while deactivating are not lost: they go to a fresh activation, which
        // reads the state this one may have just written.
        foreach (var item in Invalidate())
        {
            if (item is GrainCall call)
            {
                _catalog.Dispatch(call);
            }
            else
            {
                item.Fail(new InvalidOperationException($"Activation of {GrainId} was deactivated."));
            }
        }
    }

    private async Task RunTurnAsync(WorkItem item, bool exclusive)
    {
        try
        {
            await RunTurnOnSchedulerAsync(item).ConfigureAwait(false);
        }
        catch (Exception error)
        {
            // ExecuteAsync reports its own outcome; anything here is a runtime bug worth seeing.
            RuntimeLog.TurnFailed(_catalog.Logger, error, GrainId);
        }

        lock (_lock)
        {
            _running--;
            if (exclusive)
            {
                _runningExclusive--;
            }

            if (item is GrainCall)
            {
                // Timer ticks do not keep an activation alive, as in Orleans.
                _idleSince = _catalog.TimeProvider.GetTimestamp();
            }

            UpdateLoadLocked();
        }

        Pump();
    }

    /// <summary>Starts every queued turn that may start now, or the deactivation when one is due.</summary>
    private void Pump()
    {
        List<(WorkItem Item, bool Exclusive)>? toStart = null;
        List<WorkItem>? expired = null;
        DeactivationReason? deactivate = null;
        lock (_lock)
        {
            if (_state != ActivationState.Valid)
            {
                return;
            }

            if (_pendingDeactivation is null)
            {
                var now = _catalog.TimeProvider.GetTimestamp();
                while (_queue.TryPeek(out var item))
                {
                    if (item.IsExpired(now))
                    {
                        _queue.Dequeue();
                        _counters.Dequeued();
                        (expired ??= []).Add(item);
                        continue;
                    }

                    var shared = Registration.Class.IsReentrant || item.IsReadOnly;
                    var mayStart = _running == 0 || Registration.Class.IsReentrant || (item.IsReadOnly && _runningExclusive == 0);
                    if (!mayStart)
                    {
                        break;
                    }

                    _queue.Dequeue();
                    _counters.Dequeued();
                    _running++;
                    if (!shared)
                    {
                        _runningExclusive++;
                    }

                    (toStart ??= []).Add((item, !shared));
                }
            }
            else if (_running == 0)
            {
                deactivate = _pendingDeactivation;
                _state = ActivationState.Deactivating;
                _running = 1;
                _runningExclusive = 1;
            }

            UpdateLoadLocked();
        }

        if (expired is not null)
        {
            foreach (var item in expired)
            {
                item.Fail(new TimeoutException($"Call to {GrainId} expired in the queue; its caller already timed out."));
            }
        }

        if (toStart is not null)
        {
            foreach (var (item, exclusive) in toStart)
            {
                _ = RunTurnAsync(item, exclusive);
            }
        }

        if (deactivate is { } reason)
        {
            _ = DeactivateCoreAsync(reason);
        }
    }

    /// <summary>Leaves the directory, then refuses work; returns what was still queued.</summary>
    private List<WorkItem> Invalidate()
    {
        // Directory first: once TryEnqueue refuses, the caller's next lookup must not find us again.
        _catalog.Remove(this);
        List<WorkItem> drained;
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            _running = 0;
            _runningExclusive = 0;
            drained = [.. _queue];
            _queue.Clear();
            _counters.Dequeued(drained.Count);
            UpdateLoadLocked();
        }

        _deactivated.TrySetResult();
        return drained;
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    private async Task DisposeScopeAsync()
    {
        if (_scope is { } scope)
        {
            _scope = null;
            try
            {
                await scope.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception error)
            {
                RuntimeLog.ScopeDisposeFailed(_catalog.Logger, error, GrainId);
            }
        }
    }

    private void UpdateLoadLocked() => Volatile.Write(ref _load, _queue.Count + _running);

    private Task RunTurnOnSchedulerAsync(WorkItem item) => RunOnSchedulerAsync(() => item.RunAsync(this));

    // Grain code always runs on the activation's exclusive scheduler; its awaits resume there too
    // (STYLE: never ConfigureAwait(false) inside a grain). Flow is suppressed so a turn never runs in
    // the ExecutionContext of whoever happened to pump it; a call restores its own caller's context
    // (WorkItem.Context), while activation, deactivation and timer ticks run in a clean one.
    private Task RunOnSchedulerAsync(Func<Task> turn)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return StartOnScheduler(turn);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return StartOnScheduler(turn);
        }
    }

    private Task StartOnScheduler(Func<Task> turn) =>
        Task.Factory.StartNew(turn, CancellationToken.None, TaskCreationOptions.DenyChildAttach, _scheduler).Unwrap();
}
