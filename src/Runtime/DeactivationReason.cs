namespace Vectros.Runtime;

/// <summary>Why an activation is being deactivated; passed to <see cref="Grain.OnDeactivateAsync"/>.</summary>
public enum DeactivationReason
{
    /// <summary>Idle for longer than <see cref="RuntimeOptions.CollectionAge"/>.</summary>
    IdleTimeout,

    /// <summary>The grain called <c>DeactivateOnIdle()</c>.</summary>
    ApplicationRequested,

    /// <summary>The host is stopping.</summary>
    ShuttingDown,
}
