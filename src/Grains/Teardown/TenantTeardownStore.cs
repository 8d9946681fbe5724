using System.Text.Json;
using Npgsql;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Outbox;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Teardown;

/// <summary>SQL for <c>tenant_teardowns</c> (migration 0021): the status and progress of a tenant's teardown.</summary>
public sealed class TenantTeardownStore(NpgsqlDataSource dataSource)
{
    /// <summary>The teardown row if there is one, else the tenant as active; null when the tenant is unknown.</summary>
    public async Task<TenantStatusView?> LoadAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT tenant_id, partner_id, environment, status, step, progress::text, requested_at, completed_at
            FROM tenant_teardowns WHERE tenant_id = $1
            UNION ALL
            SELECT tenant_id, partner_id, environment, 'active', NULL, '{}', NULL, NULL
            FROM tenants t WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM tenant_teardowns d WHERE d.tenant_id = t.tenant_id)
            """);
        cmd.Parameters.Add(Text(tenantId));
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new TenantStatusView(
            TenantId: reader.GetString(0),
            PartnerId: reader.GetGuid(1),
            Environment: reader.GetString(2) == "live" ? TenantEnvironment.Live : TenantEnvironment.Test,
            Status: reader.GetString(3) switch { "active" => TenantStatus.Active, "deleting" => TenantStatus.Deleting, _ => TenantStatus.Deleted },
            Step: reader.IsDBNull(4) ? null : reader.GetString(4),
            Progress: JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(5)) ?? [],
            RequestedAt: reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            CompletedAt: reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7));
    }

    /// <summary>
    /// Records the teardown and enqueues its one job in the same transaction, so the tenant can never be deleting with
    /// no work queued (nor have work queued while still active). False when teardown had already started.
    /// </summary>
    public async Task<bool> StartAsync(string tenantId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        int inserted;
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO tenant_teardowns (tenant_id, partner_id, environment, status, step)
            SELECT tenant_id, partner_id, environment, 'deleting', 'queued' FROM tenants WHERE tenant_id = $1
            ON CONFLICT (tenant_id) DO NOTHING
            """, conn, tx))
        {
            cmd.Parameters.Add(Text(tenantId));
            inserted = await cmd.ExecuteNonQueryAsync();
        }

        if (inserted == 0)
        {
            return false;
        }

        await OutboxStore.EnqueueAsync(conn, tx, TenantTeardownHandler.Kind, tenantId, contextId: null);
        await tx.CommitAsync();
        return true;
    }

    /// <summary>Names the step under way and adds <paramref name="deleted"/> to its count.</summary>
    public async Task AddProgressAsync(string tenantId, string step, long deleted, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            UPDATE tenant_teardowns
            SET step = $2, progress = jsonb_set(progress, ARRAY[$2], to_jsonb(coalesce((progress ->> $2)::bigint, 0) + $3))
            WHERE tenant_id = $1 AND status = 'deleting'
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(step));
        cmd.Parameters.Add(Long(deleted));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkDeletedAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE tenant_teardowns SET status = 'deleted', step = NULL, completed_at = now() WHERE tenant_id = $1 AND status = 'deleting'");
        cmd.Parameters.Add(Text(tenantId));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The environment's tenant, or the one most recently torn down; null when there never was one.</summary>
    public async Task<string?> TenantOfAsync(Guid partnerId, TenantEnvironment environment)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT tenant_id FROM (
                SELECT tenant_id, 0 AS rank, now() AS at FROM tenants WHERE partner_id = $1 AND environment = $2
                UNION ALL
                SELECT tenant_id, 1, requested_at FROM tenant_teardowns WHERE partner_id = $1 AND environment = $2) x
            ORDER BY rank, at DESC LIMIT 1
            """);
        cmd.Parameters.Add(Uuid(partnerId));
        cmd.Parameters.Add(Text(environment == TenantEnvironment.Live ? "live" : "test"));
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>Every context the tenant has or had rows for; teardown purges each with the context purgers.</summary>
    public async Task<IReadOnlyList<string>> ContextsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT context_id FROM app_contexts WHERE tenant_id = $1 ORDER BY context_id");
        cmd.Parameters.Add(Text(tenantId));
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>The last step: the tenant's root keys and the tenant row, in one transaction.</summary>
    public async Task<int> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var deleted = 0;
        foreach (var table in TenantTables.Final)
        {
            await using var cmd = new NpgsqlCommand($"DELETE FROM {table} WHERE tenant_id = $1", conn, tx);
            cmd.Parameters.Add(Text(tenantId));
            deleted += await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        await tx.CommitAsync(cancellationToken);
        return deleted;
    }
}
