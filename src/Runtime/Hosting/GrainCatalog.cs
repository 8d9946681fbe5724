using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Runtime.Reminders;
using Vectros.Runtime.Statistics;
using Vectros.Runtime.Storage;

namespace Vectros.Runtime.Hosting;

/// <summary>
/// The activation directory of this silo (process): finds or creates the activation for a call
/// (DESIGN §3 "Activation", "Stateless workers"), and deactivates idle ones and, at shutdown, all.
/// </summary>
internal sealed class GrainCatalog(
    IServiceProvider services,
    IOptions<RuntimeOptions> options,
    TimeProvider timeProvider,
    RuntimeStatistics statistics,
    GrainStateStore stateStore,
    ReminderTable reminders,
    ILogger<GrainCatalog> logger)
{
    // One lock for the whole directory: it is held only to look up or add an entry, never across a call.
    private readonly object _lock = new();
    private readonly Dictionary<GrainId, List<GrainActivation>> _directory = [];
    private bool _shuttingDown;

    public IServiceProvider Services { get; } = services;

    public RuntimeOptions Options { get; } = options.Value;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public GrainStateStore StateStore { get; } = stateStore;

    public ReminderTable Reminders { get; } = reminders;

    public ILogger Logger { get; } = logger;

    // Resolved late: the factory itself depends on the catalog.
    public IGrainFactory GrainFactory => field ??= Services.GetRequiredService<IGrainFactory>();

    /// <summary>Sends a call to the grain and waits for its response or the response timeout.</summary>
    public async Task<object?> InvokeAsync(GrainRegistration registration, GrainId grainId, GrainMethod method, object?[] arguments)
    {
        var timeout = Options.ResponseTimeout;
        var call = new GrainCall(
            registration, grainId, method, arguments, timeout, statistics.For(registration.TypeName), TimeProvider);
        Dispatch(call);
        var response = call.Response;
        try
        {
            return await response.WaitAsync(timeout, TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException error) when (!ReferenceEquals(error, response.Exception?.InnerException))
        {
            // Only our own wait timed out; a TimeoutException thrown by the grain passes through unchanged.
            RuntimeLog.CallTimedOut(Logger, grainId, method.DisplayName, timeout);
            throw GrainCallTimeoutException.For(grainId, method.DisplayName, timeout);
        }
    }

    /// <summary>Queues the call on an activation of its grain, creating one when needed.</summary>
    public void Dispatch(GrainCall call)
    {
        while (true)
        {
            GrainActivation? target;
            var created = false;
            lock (_lock)
            {
                if (!_directory.TryGetValue(call.GrainId, out var activations))
                {
                    activations = [];
                    _directory.Add(call.GrainId, activations);
                }

                target = call.Registration.Class.IsStatelessWorker
                    ? PickWorker(activations, call.Registration.Class.MaxLocalWorkers)
                    : activations.FirstOrDefault();
                if (target is null && !_shuttingDown)
                {
                    target = new GrainActivation(this, call.Registration, call.GrainId, statistics.For(call.Registration.TypeName));
                    activations.Add(target);
                    statistics.For(call.Registration.TypeName).ActivationAdded();
                    created = true;
                }

                if (activations.Count == 0)
                {
                    _directory.Remove(call.GrainId);
                }
            }

            if (target is null)
            {
                call.Fail(new InvalidOperationException($"The grain runtime is shutting down; {call.GrainId} cannot be activated."));
                return;
            }

            if (created)
            {
                // Queued before activation starts, so a failing activation fails this call (and is
                // retried by the next one) instead of this call silently retrying it.
                target.TryEnqueue(call);
                target.Start();
                return;
            }

            // Refused only by an activation that already left the directory, so the next lookup differs.
            if (target.TryEnqueue(call))
            {
                return;
            }
        }
    }

    /// <summary>Removes a finished activation (idempotent).</summary>
    public void Remove(GrainActivation activation)
    {
        lock (_lock)
        {
            if (!_directory.TryGetValue(activation.GrainId, out var activations) || !activations.Remove(activation))
            {
                return;
            }

            if (activations.Count == 0)
            {
                _directory.Remove(activation.GrainId);
            }
        }

        statistics.For(activation.Registration.TypeName).ActivationRemoved();
    }

    /// <summary>Starts deactivating activations idle for longer than <see cref="RuntimeOptions.CollectionAge"/>.</summary>
    public int CollectIdle()
    {
        var collected = 0;
        foreach (var activation in Snapshot())
        {
            if (activation.TryCollectIdle(Options.CollectionAge))
            {
                collected++;
            }
        }

        return collected;
    }

    /// <summary>Deactivates the activations whose key starts with <paramref name="keyPrefix"/>.</summary>
    public async Task<int> DeactivateByKeyPrefixAsync(string keyPrefix, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyPrefix);
        var matching = Snapshot().Where(a => a.GrainId.Key.StartsWith(keyPrefix, StringComparison.Ordinal)).ToList();
        await Task.WhenAll(matching.Select(static a => a.DeactivateAsync(DeactivationReason.ApplicationRequested)))
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return matching.Count;
    }

    /// <summary>Stops activating and deactivates everything (host shutdown).</summary>
    public async Task DeactivateAllAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _shuttingDown = true;
        }

        var activations = Snapshot();
        RuntimeLog.DeactivatingAll(Logger, activations.Count);
        try
        {
            await Task.WhenAll(activations.Select(static a => a.DeactivateAsync(DeactivationReason.ShuttingDown)))
                .WaitAsync(cancellationToken)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown timeout ran out (a turn never ended); stop anyway, as Orleans does.
            RuntimeLog.DeactivationAbandoned(Logger, Snapshot().Count);
        }
    }

    private List<GrainActivation> Snapshot()
    {
        lock (_lock)
        {
            return [.. _directory.Values.SelectMany(static a => a)];
        }
    }

    // An idle worker, else a new one while fewer than the limit exist, else the least loaded.
    private static GrainActivation? PickWorker(List<GrainActivation> activations, int maxLocalWorkers)
    {
        GrainActivation? leastLoaded = null;
        var accepting = 0;
        foreach (var activation in activations)
        {
            if (!activation.IsAcceptingWork)
            {
                continue;
            }

            accepting++;
            if (activation.Load == 0)
            {
                return activation;
            }

            if (leastLoaded is null || activation.Load < leastLoaded.Load)
            {
                leastLoaded = activation;
            }
        }

        return accepting < maxLocalWorkers ? null : leastLoaded;
    }
}
