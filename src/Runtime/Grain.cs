using Vectros.Runtime.Hosting;

namespace Vectros.Runtime;

/// <summary>
/// Base class of grain implementations; mirrors <c>Orleans.Grain</c>. The runtime creates grains
/// (through DI, one per activation) and runs their calls as turns (DESIGN §3).
/// </summary>
public abstract class Grain
{
    // Set by the runtime around the constructor call so GrainId is usable in constructors,
    // as in Orleans. A grain constructed by hand has no activation and can't use the runtime.
    private readonly GrainActivation? _activation = GrainActivation.UnderConstruction;

    /// <summary>This grain's identity.</summary>
    protected GrainId GrainId => Activation.GrainId;

    /// <summary>Factory for references to other grains.</summary>
    protected IGrainFactory GrainFactory => Activation.GrainFactory;

    private GrainActivation Activation =>
        _activation ?? throw new InvalidOperationException(
            $"{GetType().Name} was not created by the grain runtime; get it through IGrainFactory.GetGrain.");

    /// <summary>The grain's key as given to <c>GetGrain</c> (Guid keys in "D" form).</summary>
    public string GetPrimaryKeyString() => GrainId.Key;

    /// <summary>The grain's Guid key; throws when the key is not a Guid.</summary>
    public Guid GetPrimaryKey() =>
        Guid.TryParse(GrainId.Key, out var key)
            ? key
            : throw new InvalidOperationException($"Grain {GrainId} does not have a Guid key.");

    /// <summary>Runs after persistent state is loaded, before the first call.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs as the activation's last turn; timers are already disposed.</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    /// <summary>Deactivates this activation once the current turn ends; later calls get a fresh activation.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.ApplicationRequested);

    /// <summary>
    /// In-memory timer: each tick runs <paramref name="callback"/> as a turn of this activation; the next
    /// tick is due <paramref name="period"/> after the callback finishes (<see cref="Timeout.InfiniteTimeSpan"/>
    /// for one tick). Disposed with the activation; the token is cancelled when the timer is disposed.
    /// </summary>
    protected IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>
    /// Durable reminder: <see cref="IRemindable.ReceiveReminder"/> is called after <paramref name="dueTime"/>
    /// and then every <paramref name="period"/>, across restarts, once across silos. The grain class must
    /// implement <see cref="IRemindable"/>.
    /// </summary>
    protected Task RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterOrUpdateReminderAsync(reminderName, dueTime, period);

    /// <summary>Deletes the reminder; a no-op when it does not exist.</summary>
    protected Task UnregisterReminder(string reminderName) => Activation.UnregisterReminderAsync(reminderName);
}
