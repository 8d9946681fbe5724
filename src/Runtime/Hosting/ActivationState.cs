namespace Vectros.Runtime.Hosting;

/// <summary>Lifecycle of a <see cref="GrainActivation"/>.</summary>
internal enum ActivationState
{
    /// <summary>Constructing the grain, loading state, running OnActivateAsync; calls wait.</summary>
    Activating,

    /// <summary>Serving calls.</summary>
    Valid,

    /// <summary>Running OnDeactivateAsync; calls wait and then go to a fresh activation.</summary>
    Deactivating,

    /// <summary>Gone: out of the directory; enqueueing fails so the caller looks again.</summary>
    Invalid,
}
