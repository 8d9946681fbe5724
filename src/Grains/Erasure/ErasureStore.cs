using System.Text.Json;
using Npgsql;
using Vectros.Grains.Abstractions.Erasure;
using Vectros.Grains.Outbox;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Erasure;

/// <summary>A stored request with what its handler needs (the view plus the stored plan and scope).</summary>
internal sealed record ErasureRow(
    ErasureRequestView View, IReadOnlyList<string> ContextScope, string ResolvedContext, string AuditDisposition,
    DateTimeOffset? StartedAt, string? PlanJson, ErasureSubject Subject);

/// <summary>SQL of <c>erasure_requests</c> (migration 0022); every statement binds the tenant.</summary>
internal sealed class ErasureStore(NpgsqlDataSource dataSource)
{
    public const string OutboxKind = "erasure.request";

    private const string Columns =
        "request_id, status, subject_type, subject_id, created_at, completed_at, failure_reason, certificate::text, dry_run, " +
        "context_scope, resolved_context, audit_disposition, started_at, plan::text, subject::text";

    /// <summary>The request row and its outbox row, in one transaction: the work is queued exactly when the request exists.</summary>
    public async Task InsertAsync(
        string tenantId, string requestId, ErasureSubject subject, ErasureSubmission request, string resolvedContext, string createdBy, DateTimeOffset at)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO erasure_requests (tenant_id, request_id, status, subject_type, subject_id, context_scope, resolved_context,
                audit_disposition, dry_run, created_by, created_at, subject)
            VALUES ($1, $2, 'accepted', $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
            """, conn, tx))
        {
            cmd.Parameters.AddRange(new NpgsqlParameter[] {
                Text(tenantId), Text(requestId), Text(subject.SubjectType), Text(subject.SubjectId), TextArray(request.ContextScope),
                Text(resolvedContext), Text(request.AuditDisposition), Bool(request.DryRun), Text(createdBy), Time(at),
                Text(JsonSerializer.Serialize(subject))});
            await cmd.ExecuteNonQueryAsync();
        }

        await OutboxStore.EnqueueAsync(conn, tx, OutboxKind, tenantId, null, JsonSerializer.Serialize(new { requestId }));
        await tx.CommitAsync();
    }

    public async Task<ErasureRow?> LoadAsync(string tenantId, string requestId)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM erasure_requests WHERE tenant_id = $1 AND request_id = $2");
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(requestId)});
        await using var r = await cmd.ExecuteReaderAsync();
        if (!await r.ReadAsync())
        {
            return null;
        }

        var view = new ErasureRequestView(
            r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4),
            r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.IsDBNull(6) ? null : r.GetString(6),
            r.IsDBNull(7) ? null : r.GetString(7), r.GetBoolean(8));
        return new ErasureRow(view, r.GetFieldValue<string[]>(9), r.GetString(10), r.GetString(11),
            r.IsDBNull(12) ? null : r.GetFieldValue<DateTimeOffset>(12), r.IsDBNull(13) ? null : r.GetString(13),
            JsonSerializer.Deserialize<ErasureSubject>(r.GetString(14))!);
    }

    /// <summary>accepted → processing; the first start time and the plan are kept across reruns.</summary>
    public Task StartAsync(string tenantId, string requestId, DateTimeOffset at, string planJson) => ExecuteAsync(
        """
        UPDATE erasure_requests SET status = 'processing', started_at = coalesce(started_at, $3), plan = coalesce(plan, $4::jsonb)
        WHERE tenant_id = $1 AND request_id = $2 AND status IN ('accepted', 'processing')
        """, Text(tenantId), Text(requestId), Time(at), Text(planJson));

    public Task CompleteAsync(string tenantId, string requestId, DateTimeOffset at, string certificateJson) => ExecuteAsync(
        """
        UPDATE erasure_requests SET status = 'completed', completed_at = $3, certificate = $4::jsonb
        WHERE tenant_id = $1 AND request_id = $2 AND status = 'processing'
        """, Text(tenantId), Text(requestId), Time(at), Text(certificateJson));

    /// <summary><paramref name="reason"/> is a fixed code (spec example <c>context_enumeration_error</c>), never an exception message.</summary>
    public Task FailAsync(string tenantId, string requestId, string reason) => ExecuteAsync(
        """
        UPDATE erasure_requests SET status = 'failed', failure_reason = $3
        WHERE tenant_id = $1 AND request_id = $2 AND status IN ('accepted', 'processing')
        """, Text(tenantId), Text(requestId), Text(reason));

    private async Task ExecuteAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        await cmd.ExecuteNonQueryAsync();
    }
}
