using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>One root key, keyed by its key id.</summary>
[Alias("vectros.IRootKeyGrain")]
public interface IRootKeyGrain : IGrainWithStringKey
{
    /// <summary>Revokes the key; idempotent. Throws NotFoundException for an unknown key id.</summary>
    Task RevokeAsync();
}
