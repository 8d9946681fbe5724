using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Outbox;

/// <summary>SQL for the <c>outbox</c> table: enqueue inside the writer's transaction, lease with SKIP LOCKED.</summary>
public sealed class OutboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>Adds a row inside the caller's transaction so the work commits or vanishes with the write.</summary>
    public static async Task EnqueueAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, string kind, string tenantId, string? contextId, string payloadJson = "{}")
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ($1, $2, $3, $4::jsonb)", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = kind });
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(new NpgsqlParameter { Value = payloadJson });
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<OutboxMessage>> LeaseAsync(
        string owner, IReadOnlyCollection<string> kinds, TimeSpan leaseTime, int max, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            UPDATE outbox o SET lease_owner = $1, lease_until = now() + $2, attempts = o.attempts + 1
            WHERE o.id IN (
                SELECT id FROM outbox
                WHERE available_at <= now() AND (lease_until IS NULL OR lease_until < now()) AND kind = ANY($3)
                ORDER BY id LIMIT $4
                FOR UPDATE SKIP LOCKED)
            RETURNING o.id, o.kind, o.tenant_id, o.context_id, o.payload::text, o.attempts
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        cmd.Parameters.Add(new NpgsqlParameter { Value = leaseTime });
        cmd.Parameters.Add(new NpgsqlParameter { Value = kinds.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = max });
        var list = new List<OutboxMessage>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new OutboxMessage(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetInt32(5)));
        }

        return list;
    }

    public Task RenewAsync(long id, string owner, TimeSpan leaseTime, CancellationToken ct) => ExecuteAsync(
        "UPDATE outbox SET lease_until = now() + $3 WHERE id = $1 AND lease_owner = $2", ct, id, owner, leaseTime);

    public Task CompleteAsync(long id, string owner, CancellationToken ct) => ExecuteAsync(
        "DELETE FROM outbox WHERE id = $1 AND lease_owner = $2", ct, id, owner);

    /// <summary>Records the failure (exception type only: messages may carry data) and schedules a retry.</summary>
    public Task FailAsync(long id, string owner, string error, TimeSpan retryAfter, CancellationToken ct) => ExecuteAsync(
        """
        UPDATE outbox SET last_error = $3, available_at = now() + $4, lease_owner = NULL, lease_until = NULL
        WHERE id = $1 AND lease_owner = $2
        """, ct, id, owner, error, retryAfter);

    /// <summary>Rows not yet done by kind, with the age of each kind's oldest row, for the dashboard and /metrics.</summary>
    public async Task<IReadOnlyList<OutboxKindDepth>> DepthAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT kind, count(*), extract(epoch FROM now() - min(created_at))::float8 FROM outbox GROUP BY kind ORDER BY kind");
        var depths = new List<OutboxKindDepth>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            depths.Add(new OutboxKindDepth(reader.GetString(0), reader.GetInt64(1), Math.Max(0, reader.GetDouble(2))));
        }

        return depths;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params object[] values)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }
}
