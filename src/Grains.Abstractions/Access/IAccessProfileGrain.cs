using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>One access profile, keyed <c>tenant#ctx#principalId</c> (<see cref="AccessKeys"/>).</summary>
[Alias("vectros.IAccessProfileGrain")]
public interface IAccessProfileGrain : IGrainWithStringKey
{
    /// <summary>Idempotent by principalId (201/200 <c>created</c>); a collision without <c>profiles:r</c> is a uniform 400.</summary>
    Task<AccessProfileCreateResult> CreateAsync(AccessActor actor, ProfileWrite write, bool upsert);

    [ReadOnly]
    Task<AccessProfileView> GetAsync(CallerContext caller);

    Task<AccessProfileView> UpdateAsync(AccessActor actor, ProfileWrite write);

    Task DeleteAsync(AccessActor actor);

    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, string? startFrom, int limit);

    /// <summary>
    /// The principal's effective clauses in this context now (inline, or its role's current clauses), with status and
    /// identity overrides; null when the principal has no profile here. For token minting and scoped keys.
    /// </summary>
    [ReadOnly]
    Task<EffectiveAccess?> GetEffectiveAsync();

    /// <summary>Drops the cached row after a write made elsewhere (a user's delete removes its profiles in its own transaction).</summary>
    Task InvalidateAsync();
}
