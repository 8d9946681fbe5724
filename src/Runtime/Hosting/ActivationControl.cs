namespace Vectros.Runtime.Hosting;

/// <summary><see cref="IActivationControl"/> over this silo's catalog (single silo; a cluster would fan this out).</summary>
internal sealed class ActivationControl(GrainCatalog catalog) : IActivationControl
{
    public Task<int> DeactivateByKeyPrefixAsync(string keyPrefix, CancellationToken cancellationToken = default) =>
        catalog.DeactivateByKeyPrefixAsync(keyPrefix, cancellationToken);
}
