using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Identity;

namespace Vectros.Grains.Access;

/// <summary>
/// Membership and parent facts for one request (<see cref="IAccessFactsGrain"/>). Membership: the namespace's declared
/// <c>membershipRecordType</c> records owned by the caller's user, in <c>membershipContextId</c> (else the
/// registration's context, else the caller's), whose <c>membershipTargetField</c> names the value and whose
/// <c>membershipLevelField</c>, when declared, the level. Parents: entities whose scopes hold the caller's own
/// <c>ns:value</c> (<c>under.self.scope</c>) or whose owner is the caller's user (<c>under.self.userId</c>); one
/// level only (CL 0.38). Reads only; bounded so a runaway membership table cannot balloon a request.
/// </summary>
[StatelessWorker]
public sealed class AccessFactsGrain(NpgsqlDataSource dataSource) : Grain, IAccessFactsGrain
{
    /// <summary>More facts than this for one caller is a modelling error; the rest are simply not granted.</summary>
    private const int MaxFacts = 1000;

    private readonly NamespaceStore _namespaces = new(dataSource);

    async Task<AccessIdentity> IAccessFactsGrain.ResolveAsync(string contextId, AccessIdentity identity, AccessFactsNeed need)
    {
        var tenantId = this.GetPrimaryKeyString();
        var user = Guid.TryParse(identity.UserId, out var id) ? id : (Guid?)null;
        var memberships = new List<MembershipFact>();
        if (user is { } member)
        {
            foreach (var ns in need.MemberNamespaces)
            {
                memberships.AddRange(await MembershipsAsync(tenantId, contextId, ns, member));
            }
        }

        var children = new List<ChildFact>();
        foreach (var ns in need.UnderNamespaces)
        {
            if (identity.Scopes.TryGetValue(ns, out var parent))
            {
                children.AddRange(await ChildrenAsync(tenantId, contextId, "scopes @> ARRAY[$3::text]", $"{ns}:{parent}", NpgsqlDbType.Text, $"scope:{ns}:{parent}"));
            }
        }

        if (need.UnderUser && user is { } owner)
        {
            children.AddRange(await ChildrenAsync(tenantId, contextId, "user_id = $3", owner, NpgsqlDbType.Uuid, $"{ScopeGrammar.UserDimension}:{owner:D}"));
        }

        return identity with { Memberships = memberships, Children = children };
    }

    private async Task<List<MembershipFact>> MembershipsAsync(string tenantId, string contextId, string ns, Guid user)
    {
        var registration = await _namespaces.FindAsync(tenantId, ns, contextId, NamespaceRules.TenantHome);
        if (registration is not { MembershipRecordType: { } type, MembershipTargetField: { } target })
        {
            return []; // declaring nothing grants nothing (§8.2)
        }

        var level = registration.MembershipLevelField;
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT payload #>> $5, CASE WHEN $6::text[] IS NULL THEN NULL ELSE payload #>> $6 END
            FROM records
            WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND user_id = $4
            LIMIT $7
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = registration.MembershipContextId ?? registration.ContextId ?? contextId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = type, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = user, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = target.Split('.'), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)level?.Split('.') ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = MaxFacts, NpgsqlDbType = NpgsqlDbType.Integer });
        var facts = new List<MembershipFact>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0))
            {
                facts.Add(new MembershipFact(ns, reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        return facts;
    }

    /// <summary>Entities in the caller's context or tenant-wide matching <paramref name="condition"/> (parameter $3), as children of <paramref name="parent"/>.</summary>
    private async Task<List<ChildFact>> ChildrenAsync(string tenantId, string contextId, string condition, object value, NpgsqlDbType type, string parent)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT namespace, entity_id FROM entities WHERE tenant_id = $1 AND context_id = ANY($2) AND {condition} LIMIT $4");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = new[] { contextId, NamespaceRules.TenantHome }, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
        cmd.Parameters.Add(new NpgsqlParameter { Value = MaxFacts, NpgsqlDbType = NpgsqlDbType.Integer });
        var facts = new List<ChildFact>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            facts.Add(new ChildFact("scope:" + reader.GetString(0), reader.GetGuid(1).ToString("D"), parent));
        }

        return facts;
    }
}
