using Npgsql;
using Vectros.Grains.Abstractions.AppContexts;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.AppContexts;

/// <summary>SQL for the <c>app_contexts</c> table. Every statement binds the tenant id; <c>version</c> guards writes.</summary>
internal sealed class AppContextStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "tenant_id, context_id, name, description, status, is_reserved, created_at, updated_at, version";

    public async Task<(AppContextView View, long Version)?> LoadAsync(string tenantId, string contextId)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM app_contexts WHERE tenant_id = $1 AND context_id = $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
    }

    public async Task<IReadOnlyList<AppContextView>> ListAsync(string tenantId, string? afterContextId, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM app_contexts
            WHERE tenant_id = $1 AND ($2::text IS NULL OR context_id > $2)
            ORDER BY context_id LIMIT $3
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(Text(afterContextId));
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        var list = new List<AppContextView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Inserts a new context, or revives a fully deleted one under the same id. Null when another writer won.</summary>
    public async Task<(AppContextView View, long Version)?> InsertOrReviveAsync(
        string tenantId, string contextId, string name, string? description)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            INSERT INTO app_contexts (tenant_id, context_id, name, description)
            VALUES ($1, $2, $3, $4)
            ON CONFLICT (tenant_id, context_id) DO UPDATE
              SET name = EXCLUDED.name, description = EXCLUDED.description, status = 'active',
                  created_at = now(), updated_at = now(), version = app_contexts.version + 1
              WHERE app_contexts.status = 'deleted'
            RETURNING {Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(Text(description));
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
    }

    /// <summary>Updates name and description if the row is still at <paramref name="expectedVersion"/>.</summary>
    public async Task<(AppContextView View, long Version)?> UpdateAsync(
        string tenantId, string contextId, string name, string? description, long expectedVersion)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            UPDATE app_contexts SET name = $3, description = $4, updated_at = now(), version = version + 1
            WHERE tenant_id = $1 AND context_id = $2 AND version = $5
            RETURNING {Columns}
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(Text(description));
        cmd.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
    }

    /// <summary>
    /// Sets the status. When <paramref name="enqueueTeardown"/> is set, the teardown outbox row is written in the
    /// same transaction, so a context can never be left purging with no work queued to finish it.
    /// </summary>
    public async Task<(AppContextView View, long Version)?> SetStatusAsync(
        string tenantId, string contextId, AppContextStatus status, long expectedVersion, bool enqueueTeardown)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        (AppContextView, long)? result;
        await using (var cmd = new NpgsqlCommand(
            $"""
            UPDATE app_contexts SET status = $3, updated_at = now(), version = version + 1
            WHERE tenant_id = $1 AND context_id = $2 AND version = $4
            RETURNING {Columns}
            """, conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = StatusName(status) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
            await using var reader = await cmd.ExecuteReaderAsync();
            result = await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
        }

        if (result is null)
        {
            return null;
        }

        if (enqueueTeardown)
        {
            await Outbox.OutboxStore.EnqueueAsync(conn, tx, Teardown.ContextTeardownHandler.Kind, tenantId, contextId);
        }

        await tx.CommitAsync();
        return result;
    }

    private static AppContextView Read(NpgsqlDataReader r) => new(
        TenantId: r.GetString(0),
        ContextId: r.GetString(1),
        Name: r.GetString(2),
        Description: r.IsDBNull(3) ? null : r.GetString(3),
        Status: ParseStatus(r.GetString(4)),
        IsReserved: r.GetBoolean(5),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(6),
        LastModified: r.GetFieldValue<DateTimeOffset>(7));

    private static string StatusName(AppContextStatus status) => status switch
    {
        AppContextStatus.Active => "active",
        AppContextStatus.Purging => "purging",
        _ => "deleted",
    };

    private static AppContextStatus ParseStatus(string status) => status switch
    {
        "active" => AppContextStatus.Active,
        "purging" => AppContextStatus.Purging,
        _ => AppContextStatus.Deleted,
    };
}
