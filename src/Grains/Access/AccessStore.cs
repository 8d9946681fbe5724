using System.Text.Json;
using Npgsql;
using Vectros.Grains.Abstractions.Access;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Access;

/// <summary>Reads of <c>access_roles</c> and <c>access_profiles</c>. Every statement binds the tenant (and the context where it has one).</summary>
internal sealed class AccessStore(NpgsqlDataSource dataSource)
{
    private const string RoleColumns = "tenant_id, context_id, role_id, name, description, scopes::text, created_at, updated_at, version";

    private const string ProfileColumns =
        "tenant_id, context_id, principal_id, scopes::text, role_id, identity_overrides::text, status, created_at, updated_at, version";

    public async Task<AccessRoleView?> LoadRoleAsync(string tenantId, string contextId, string roleId)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {RoleColumns} FROM access_roles WHERE tenant_id = $1 AND context_id = $2 AND role_id = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(roleId));
        var rows = await ReadAsync(cmd, ReadRole);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<AccessProfileView?> LoadProfileAsync(string tenantId, string contextId, string principalId)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {ProfileColumns} FROM access_profiles WHERE tenant_id = $1 AND context_id = $2 AND principal_id = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(principalId));
        var rows = await ReadAsync(cmd, ReadProfile);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<AccessRoleView>> ListRolesAsync(string tenantId, string contextId, string? after, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {RoleColumns} FROM access_roles
            WHERE tenant_id = $1 AND context_id = $2 AND ($3::text IS NULL OR role_id > $3)
            ORDER BY role_id LIMIT $4
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(after));
        cmd.Parameters.Add(Int(take));
        return await ReadAsync(cmd, ReadRole);
    }

    public async Task<IReadOnlyList<AccessProfileView>> ListProfilesAsync(string tenantId, string contextId, string? after, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {ProfileColumns} FROM access_profiles
            WHERE tenant_id = $1 AND context_id = $2 AND ($3::text IS NULL OR principal_id > $3)
            ORDER BY principal_id LIMIT $4
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(after));
        cmd.Parameters.Add(Int(take));
        return await ReadAsync(cmd, ReadProfile);
    }

    /// <summary>One principal's profiles by context id; <paramref name="onlyContext"/> confines the list to one context.</summary>
    public async Task<IReadOnlyList<AccessProfileView>> ListForPrincipalAsync(string tenantId, string principalId, string? onlyContext, string? after, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {ProfileColumns} FROM access_profiles
            WHERE tenant_id = $1 AND principal_id = $2 AND ($3::text IS NULL OR context_id = $3) AND ($4::text IS NULL OR context_id > $4)
            ORDER BY context_id LIMIT $5
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(principalId));
        cmd.Parameters.Add(Text(onlyContext));
        cmd.Parameters.Add(Text(after));
        cmd.Parameters.Add(Int(take));
        return await ReadAsync(cmd, ReadProfile);
    }

    private static async Task<IReadOnlyList<T>> ReadAsync<T>(NpgsqlCommand cmd, Func<NpgsqlDataReader, T> read)
    {
        var list = new List<T>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(read(reader));
        }

        return list;
    }

    private static AccessRoleView ReadRole(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
        ScopeClauseJson.Parse(r.GetString(5)), r.GetFieldValue<DateTimeOffset>(6), r.GetFieldValue<DateTimeOffset>(7), r.GetInt64(8));

    private static AccessProfileView ReadProfile(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2),
        r.IsDBNull(3) ? null : ScopeClauseJson.Parse(r.GetString(3)),
        r.IsDBNull(4) ? null : r.GetString(4),
        JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(5)) ?? [],
        r.GetString(6), r.GetFieldValue<DateTimeOffset>(7), r.GetFieldValue<DateTimeOffset>(8), r.GetInt64(9));
}
