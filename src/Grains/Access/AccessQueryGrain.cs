using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Access;

/// <summary>Pages of roles and profiles, keyed by tenant. The inner cursor is the last item's roleId, principalId or contextId.</summary>
[StatelessWorker]
public sealed class AccessQueryGrain(NpgsqlDataSource dataSource) : Grain, IAccessQueryGrain
{
    private readonly AccessStore _store = new(dataSource);

    async Task<AccessRolePage> IAccessQueryGrain.ListRolesAsync(string contextId, string? startFrom, int limit)
    {
        var rows = await _store.ListRolesAsync(this.GetPrimaryKeyString(), contextId, startFrom, limit + 1);
        var page = rows.Take(limit).ToList();
        return new AccessRolePage(page, rows.Count > limit ? page[^1].RoleId : null);
    }

    async Task<AccessProfilePage> IAccessQueryGrain.ListProfilesAsync(string contextId, string? startFrom, int limit)
    {
        var rows = await _store.ListProfilesAsync(this.GetPrimaryKeyString(), contextId, startFrom, limit + 1);
        var page = rows.Take(limit).ToList();
        return new AccessProfilePage(page, rows.Count > limit ? page[^1].PrincipalId : null);
    }

    async Task<AccessProfilePage> IAccessQueryGrain.ListForPrincipalAsync(string principalId, string? onlyContext, string? startFrom, int limit)
    {
        var rows = await _store.ListForPrincipalAsync(this.GetPrimaryKeyString(), principalId, onlyContext, startFrom, limit + 1);
        var page = rows.Take(limit).ToList();
        return new AccessProfilePage(page, rows.Count > limit ? page[^1].ContextId : null);
    }
}
