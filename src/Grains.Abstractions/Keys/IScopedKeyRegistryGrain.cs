using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Keys;

/// <summary>
/// The scoped keys of one tenant (one environment), keyed by tenant id: mints keys (serialized per tenant, which also
/// keeps the per-environment key limit exact) and lists them.
/// </summary>
[Alias("vectros.IScopedKeyRegistryGrain")]
public interface IScopedKeyRegistryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Mints a key bound to the user's access profile in the context, or returns the active key of the same
    /// (context, user, keyName) without its raw secret. 404 for a missing context, user or profile (one message for
    /// the last two); for a scoped caller 403 unless the profile is no wider than the caller, the caller holds the
    /// profile's override values, and binding another user is backed by <c>delegate-mint</c> (API-DELTA §8.6).
    /// </summary>
    Task<ScopedKeyCreated> CreateAsync(AccessActor actor, ScopedKeyCreate create);

    /// <summary>Active keys by key id; a caller confined to a context sees only that context's keys.</summary>
    [ReadOnly]
    Task<ScopedKeyPage> ListAsync(CallerContext caller, string? startFrom, int limit);
}
