using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>List queries over roles and profiles; a stateless worker keyed by tenant id. Cursors are the grain's own (the front end seals them).</summary>
[Alias("vectros.IAccessQueryGrain")]
public interface IAccessQueryGrain : IGrainWithStringKey
{
    /// <summary>A context's roles ordered by roleId, after <paramref name="startFrom"/> (a roleId).</summary>
    Task<AccessRolePage> ListRolesAsync(string contextId, string? startFrom, int limit);

    /// <summary>A context's profiles ordered by principalId, after <paramref name="startFrom"/> (a principalId).</summary>
    Task<AccessProfilePage> ListProfilesAsync(string contextId, string? startFrom, int limit);

    /// <summary>A principal's profiles ordered by context, in <paramref name="onlyContext"/> or (null) every context.</summary>
    Task<AccessProfilePage> ListForPrincipalAsync(string principalId, string? onlyContext, string? startFrom, int limit);
}
