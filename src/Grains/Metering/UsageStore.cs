using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Metering;

/// <summary><c>usage_counters</c> and <c>partner_plans</c> rows (migration 0017).</summary>
internal sealed class UsageStore(NpgsqlDataSource dataSource)
{
    public async Task<Dictionary<(string Context, string Metric), long>> LoadAsync(string tenantId, string period)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT context_id, metric, value FROM usage_counters WHERE tenant_id = $1 AND period = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(period));
        var counters = new Dictionary<(string, string), long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counters[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }

        return counters;
    }

    /// <summary>
    /// Adds a batch of increments in one statement (one implicit transaction). Additive, so a second activation of the
    /// same grain adds its own batch beside this one instead of overwriting it.
    /// </summary>
    public async Task AddAsync(string tenantId, string period, IReadOnlyCollection<KeyValuePair<(string Context, string Metric), long>> batch)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO usage_counters (tenant_id, period, context_id, metric, value)
            SELECT $1, $2, c, m, v FROM unnest($3::text[], $4::text[], $5::bigint[]) AS t(c, m, v)
            ON CONFLICT (tenant_id, period, context_id, metric) DO UPDATE SET value = usage_counters.value + excluded.value
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(period));
        cmd.Parameters.Add(TextArray(batch.Select(b => b.Key.Context)));
        cmd.Parameters.Add(TextArray(batch.Select(b => b.Key.Metric)));
        cmd.Parameters.Add(Of(batch.Select(b => b.Value).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The plan of the partner owning <paramref name="tenantId"/>; null = the default plan.</summary>
    public async Task<string?> PlanOfTenantAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT p.plan FROM tenants t JOIN partner_plans p ON p.partner_id = t.partner_id WHERE t.tenant_id = $1");
        cmd.Parameters.Add(Text(tenantId));
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>Both environments of the partner owning <paramref name="tenantId"/> (tenant id, environment), and the partner's plan.</summary>
    public async Task<(IReadOnlyList<(string TenantId, string Environment)> Tenants, string? Plan)> SiblingsAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT s.tenant_id, s.environment, p.plan
            FROM tenants t JOIN tenants s ON s.partner_id = t.partner_id LEFT JOIN partner_plans p ON p.partner_id = t.partner_id
            WHERE t.tenant_id = $1 ORDER BY s.environment
            """);
        cmd.Parameters.Add(Text(tenantId));
        var tenants = new List<(string, string)>();
        string? plan = null;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tenants.Add((reader.GetString(0), reader.GetString(1)));
            plan = reader.IsDBNull(2) ? null : reader.GetString(2);
        }

        return (tenants, plan);
    }

    /// <summary>Sets a partner's plan; false when the partner does not exist.</summary>
    public async Task<bool> SetPlanAsync(Guid partnerId, string plan, DateTimeOffset now)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO partner_plans (partner_id, plan, updated_at)
            SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM partners WHERE partner_id = $1)
            ON CONFLICT (partner_id) DO UPDATE SET plan = excluded.plan, updated_at = excluded.updated_at
            """);
        cmd.Parameters.Add(Uuid(partnerId));
        cmd.Parameters.Add(Text(plan));
        cmd.Parameters.Add(Time(now));
        return await cmd.ExecuteNonQueryAsync() > 0;
    }
}
