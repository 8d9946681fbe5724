using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>One role, keyed <c>tenant#ctx#roleId</c> (<see cref="AccessKeys"/>). Writes carry their version row in the same batch.</summary>
[Alias("vectros.IAccessRoleGrain")]
public interface IAccessRoleGrain : IGrainWithStringKey
{
    /// <summary>Idempotent by roleId (201/200 <c>created</c>); a collision without <c>profiles:r</c> is a uniform 400.</summary>
    Task<AccessRoleCreateResult> CreateAsync(AccessActor actor, RoleWrite write, bool upsert);

    /// <summary>The role; 404 when missing.</summary>
    [ReadOnly]
    Task<AccessRoleView> GetAsync(CallerContext caller);

    /// <summary>Partial update; the new scopes are capped by a scoped caller's own.</summary>
    Task<AccessRoleView> UpdateAsync(AccessActor actor, RoleWrite write);

    /// <summary>Deletes the role; 409 <c>RESOURCE_IN_USE</c> while a profile references it.</summary>
    Task DeleteAsync(AccessActor actor);

    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, string? startFrom, int limit);

    /// <summary>The role's current clauses, or null when it does not exist (profiles resolve their role through this at read time).</summary>
    [ReadOnly]
    Task<IReadOnlyList<ScopeClause>?> GetClausesAsync();
}
