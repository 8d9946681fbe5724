using System.Text;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Logs;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Logs;

/// <summary>SQL for <c>api_call_log</c> and <c>read_access_log</c>: binary COPY in, tenant-bound queries out, purge by age.</summary>
internal sealed class ApiLogStore(NpgsqlDataSource dataSource)
{
    private const string CallColumns =
        "tenant_id, context_id, logged_at, method, resource, route, status, credential_id, duration_ms, request_id, error_code, delegation_chain";

    private const string ReadColumns =
        "id, tenant_id, context_id, created_at, caller_key_id, action, resource_type, resource_id, subjects, revealed_sensitive, sensitive_fields, audit_disposition, retain_until";

    public async Task AppendAsync(IReadOnlyList<ApiCallEntry> calls, IReadOnlyList<ReadAccessEntry> reads)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        if (calls.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync($"COPY api_call_log ({CallColumns}) FROM STDIN (FORMAT BINARY)");
            foreach (var c in calls)
            {
                await copy.StartRowAsync();
                await WriteAsync(copy, c.TenantId, NpgsqlDbType.Text);
                await WriteAsync(copy, c.ContextId, NpgsqlDbType.Text);
                await copy.WriteAsync(c.Timestamp.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(c.Method, NpgsqlDbType.Text);
                await copy.WriteAsync(c.Resource, NpgsqlDbType.Text);
                await copy.WriteAsync(c.Route, NpgsqlDbType.Text);
                await copy.WriteAsync(c.Status, NpgsqlDbType.Integer);
                await WriteAsync(copy, c.CredentialId, NpgsqlDbType.Text);
                await copy.WriteAsync(c.DurationMs, NpgsqlDbType.Bigint);
                await copy.WriteAsync(c.RequestId, NpgsqlDbType.Text);
                await WriteAsync(copy, c.ErrorCode, NpgsqlDbType.Text);
                await WriteAsync(copy, c.DelegationChain, NpgsqlDbType.Text);
            }

            await copy.CompleteAsync();
        }

        if (reads.Count > 0)
        {
            await using var copy = await connection.BeginBinaryImportAsync($"COPY read_access_log ({ReadColumns}) FROM STDIN (FORMAT BINARY)");
            foreach (var r in reads)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(r.Id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(r.TenantId, NpgsqlDbType.Text);
                await copy.WriteAsync(r.ContextId, NpgsqlDbType.Text);
                await copy.WriteAsync(r.CreatedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(r.CallerKeyId, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Action, NpgsqlDbType.Text);
                await copy.WriteAsync(r.ResourceType, NpgsqlDbType.Text);
                await WriteAsync(copy, r.ResourceId, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Subjects.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync(r.RevealedSensitive, NpgsqlDbType.Boolean);
                await copy.WriteAsync(r.SensitiveFields.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                await copy.WriteAsync("retain", NpgsqlDbType.Text);
                if (r.RetainUntil is { } until)
                {
                    await copy.WriteAsync(until.ToUniversalTime(), NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                }
            }

            await copy.CompleteAsync();
        }
    }

    public async Task<ApiCallPage> QueryCallsAsync(string tenantId, ApiCallQuery q)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {CallColumns} FROM api_call_log
            WHERE tenant_id = $1 AND logged_at >= $2 AND logged_at <= $3
              AND ($4::text IS NULL OR resource = $4)
              AND ($5::text IS NULL OR method = $5)
              AND ($6::text IS NULL OR credential_id = $6)
              AND ($7::text IS NULL OR context_id = $7)
              AND (NOT $8 OR status >= 400)
            ORDER BY logged_at DESC, id DESC
            LIMIT $9
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Time(q.Start));
        cmd.Parameters.Add(Time(q.End));
        cmd.Parameters.Add(Text(q.Resource));
        cmd.Parameters.Add(Text(q.Method));
        cmd.Parameters.Add(Text(q.KeyId));
        cmd.Parameters.Add(Text(q.ContextId));
        cmd.Parameters.Add(Bool(q.ErrorsOnly));
        cmd.Parameters.Add(Int(q.Limit + 1));
        var rows = new List<ApiCallEntry>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new ApiCallEntry
            {
                TenantId = reader.GetString(0),
                ContextId = reader.IsDBNull(1) ? null : reader.GetString(1),
                Timestamp = reader.GetFieldValue<DateTimeOffset>(2),
                Method = reader.GetString(3),
                Resource = reader.GetString(4),
                Route = reader.GetString(5),
                Status = reader.GetInt32(6),
                CredentialId = reader.IsDBNull(7) ? null : reader.GetString(7),
                DurationMs = reader.GetInt64(8),
                RequestId = reader.GetString(9),
                ErrorCode = reader.IsDBNull(10) ? null : reader.GetString(10),
                DelegationChain = reader.IsDBNull(11) ? null : reader.GetString(11),
            });
        }

        return rows.Count > q.Limit ? new ApiCallPage(rows.GetRange(0, q.Limit), true) : new ApiCallPage(rows, false);
    }

    public async Task<ReadAccessPage> QueryReadsAsync(string tenantId, ReadAccessQuery q, Guid? after)
    {
        var sql = new StringBuilder($"SELECT {ReadColumns} FROM read_access_log WHERE tenant_id = $1");
        await using var cmd = dataSource.CreateCommand();
        cmd.Parameters.Add(Text(tenantId));
        void Where(string clause, NpgsqlParameter parameter)
        {
            cmd.Parameters.Add(parameter);
            sql.Append(" AND ").Append(clause.Replace("$?", "$" + cmd.Parameters.Count, StringComparison.Ordinal));
        }

        if (q.ContextId is not null) { Where("context_id = $?", Text(q.ContextId)); }
        if (q.Subjects.Count > 0) { Where("subjects @> $?", TextArray(q.Subjects)); }
        if (q.ResourceId is not null) { Where("resource_id = $?", Text(q.ResourceId)); }
        if (q.CallerKeyId is not null) { Where("caller_key_id = $?", Text(q.CallerKeyId)); }
        if (q.From is { } from) { Where("created_at >= $?", Time(from)); }
        if (q.To is { } to) { Where("created_at < $?", Time(to)); }
        if (q.Action is not null) { Where("action = $?", Text(q.Action)); }
        if (q.ResourceType is not null) { Where("resource_type = $?", Text(q.ResourceType)); }
        if (q.RevealedSensitive is { } revealed) { Where("revealed_sensitive = $?", Bool(revealed)); }
        if (after is { } last) { Where("id < $?", Uuid(last)); }
        cmd.Parameters.Add(Int(q.Limit + 1));
        sql.Append(" ORDER BY id DESC LIMIT $").Append(cmd.Parameters.Count);
        cmd.CommandText = sql.ToString();

        var rows = new List<ReadAccessEntry>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new ReadAccessEntry
            {
                Id = reader.GetGuid(0),
                TenantId = reader.GetString(1),
                ContextId = reader.GetString(2),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(3),
                CallerKeyId = reader.GetString(4),
                Action = reader.GetString(5),
                ResourceType = reader.GetString(6),
                ResourceId = reader.IsDBNull(7) ? null : reader.GetString(7),
                Subjects = reader.GetFieldValue<string[]>(8),
                RevealedSensitive = reader.GetBoolean(9),
                SensitiveFields = reader.GetFieldValue<string[]>(10),
                RetainUntil = reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
            });
        }

        return rows.Count > q.Limit
            ? new ReadAccessPage(rows.GetRange(0, q.Limit), rows[q.Limit - 1].Id.ToString("N"))
            : new ReadAccessPage(rows, null);
    }

    /// <summary>Deletes rows past their age; returns how many went.</summary>
    public async Task<long> PurgeAsync(DateTimeOffset callsBefore, DateTimeOffset readsBefore, CancellationToken ct)
    {
        await using var batch = dataSource.CreateBatch();
        var calls = new NpgsqlBatchCommand("DELETE FROM api_call_log WHERE logged_at < $1");
        calls.Parameters.Add(Time(callsBefore));
        var reads = new NpgsqlBatchCommand("DELETE FROM read_access_log WHERE created_at < $1");
        reads.Parameters.Add(Time(readsBefore));
        batch.BatchCommands.Add(calls);
        batch.BatchCommands.Add(reads);
        await batch.ExecuteNonQueryAsync(ct);
        return calls.RecordsAffected + reads.RecordsAffected;
    }

    private static Task WriteAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type) =>
        value is null ? copy.WriteNullAsync() : copy.WriteAsync(value, type);
}
