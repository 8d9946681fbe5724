namespace Vectros.Runtime;

/// <summary>
/// Control over this silo's activations beyond idle collection, in the spirit of Orleans' management grain
/// (<c>ForceActivationCollection</c>). Used when the data behind a set of grains is deleted underneath them,
/// so their cached state must not outlive it.
/// </summary>
public interface IActivationControl
{
    /// <summary>
    /// Deactivates every activation whose key starts with <paramref name="keyPrefix"/> (ordinal) once its current
    /// turn ends, and completes when they are gone; later calls get fresh activations. Returns how many there were.
    /// </summary>
    Task<int> DeactivateByKeyPrefixAsync(string keyPrefix, CancellationToken cancellationToken = default);
}
