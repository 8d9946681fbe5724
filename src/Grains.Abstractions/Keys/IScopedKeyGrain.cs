using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Keys;

/// <summary>One scoped key, keyed <c>tenant#keyId</c> (<see cref="ScopedKeyRules.Key"/>).</summary>
[Alias("vectros.IScopedKeyGrain")]
public interface IScopedKeyGrain : IGrainWithStringKey
{
    /// <summary>The key's metadata, revoked or not; 404 for an unknown key or one outside a confined caller's context.</summary>
    [ReadOnly]
    Task<ScopedKeyView> GetAsync(CallerContext caller);

    /// <summary>Revokes the key for good; idempotent. 404 as for <see cref="GetAsync"/>.</summary>
    Task RevokeAsync(CallerContext caller);
}
