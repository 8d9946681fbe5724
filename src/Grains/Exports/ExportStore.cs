using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Exports;
using Vectros.Grains.Outbox;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Exports;

/// <summary>SQL for <c>export_jobs</c> (migration 0023) and the look-ups that validate a request. Every statement binds the tenant.</summary>
internal sealed class ExportStore(NpgsqlDataSource dataSource)
{
    public const string RunKind = "export.job";
    public const string PurgeKind = "export.purge";

    private const string Columns =
        "export_id, status, scope, subject_type, subject_id, created_at, completed_at, failure_reason, manifest::text, retain_until";

    /// <summary>Which of <paramref name="contextIds"/> are live contexts of the tenant (all of them when null).</summary>
    public async Task<List<string>> ActiveContextsAsync(string tenantId, IReadOnlyList<string>? contextIds)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT context_id FROM app_contexts WHERE tenant_id = $1 AND status = 'active' AND ($2::text[] IS NULL OR context_id = ANY($2)) ORDER BY context_id");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(TextArray(contextIds));
        var list = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>The user with this id or externalId, or null.</summary>
    public Task<Guid?> FindUserAsync(string tenantId, Guid? id, string? externalId) => ScalarGuidAsync(
        "SELECT user_id FROM users WHERE tenant_id = $1 AND ($2::uuid IS NULL OR user_id = $2) AND ($3::text IS NULL OR external_id = $3) LIMIT 1",
        Text(tenantId), Uuid(id), Text(externalId));

    /// <summary>Whether the namespace is registered (anywhere in the tenant) and whether its members are entities; null when unknown.</summary>
    public async Task<bool?> NamespaceEntityBackedAsync(string tenantId, string ns)
    {
        await using var cmd = dataSource.CreateCommand("SELECT bool_or(entity_backed) FROM namespaces WHERE tenant_id = $1 AND namespace = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(ns));
        return await cmd.ExecuteScalarAsync() is bool backed ? backed : null;
    }

    /// <summary>The entity of the namespace with this id or externalId (in any home), or null.</summary>
    public Task<Guid?> FindEntityAsync(string tenantId, string ns, Guid? id, string? externalId) => ScalarGuidAsync(
        """
        SELECT entity_id FROM entities
        WHERE tenant_id = $1 AND namespace = $2 AND ($3::uuid IS NULL OR entity_id = $3) AND ($4::text IS NULL OR external_id = $4)
        ORDER BY context_id LIMIT 1
        """,
        Text(tenantId), Text(ns), Uuid(id), Text(externalId));

    /// <summary>Records the job and its work item in one transaction: both exist or neither.</summary>
    public async Task InsertAsync(string tenantId, string exportId, string scope, string? subjectType, string? subjectId, ExportPlan plan, DateTimeOffset at)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand(
            """
            INSERT INTO export_jobs (tenant_id, export_id, scope, subject_type, subject_id, request, created_at)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
            """, conn, tx))
        {
            cmd.Parameters.Add(Text(tenantId));
            cmd.Parameters.Add(Text(exportId));
            cmd.Parameters.Add(Text(scope));
            cmd.Parameters.Add(Text(subjectType));
            cmd.Parameters.Add(Text(subjectId));
            cmd.Parameters.Add(Text(plan.ToJson()));
            cmd.Parameters.Add(Time(at));
            await cmd.ExecuteNonQueryAsync();
        }

        await OutboxStore.EnqueueAsync(conn, tx, RunKind, tenantId, null, Payload(exportId));
        await tx.CommitAsync();
    }

    public async Task<(ExportJobView View, ExportPlan Plan)?> LoadAsync(string tenantId, string exportId)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns}, request::text FROM export_jobs WHERE tenant_id = $1 AND export_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(exportId));
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var view = new ExportJobView(
            reader.GetString(0), reader.GetString(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
            reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : JsonSerializer.Deserialize<ExportManifestView>(reader.GetString(8), JsonSerializerOptions.Web),
            reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9));
        return (view, ExportPlan.FromJson(reader.GetString(10)));
    }

    /// <summary>accepted → processing (a rerun after a crash finds it processing already and carries on).</summary>
    public async Task StartAsync(string tenantId, string exportId, DateTimeOffset at)
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE export_jobs SET status = 'processing', started_at = coalesce(started_at, $3) WHERE tenant_id = $1 AND export_id = $2 AND status IN ('accepted', 'processing')");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(exportId));
        cmd.Parameters.Add(Time(at));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The end state (completed with its manifest, or failed with a reason) and the purge due at
    /// <paramref name="retainUntil"/>, in one transaction.
    /// </summary>
    public async Task FinishAsync(string tenantId, string exportId, ExportManifestView? manifest, string? failureReason, DateTimeOffset at, DateTimeOffset retainUntil)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand(
            """
            UPDATE export_jobs SET status = $3, manifest = $4::jsonb, failure_reason = $5, completed_at = $6, retain_until = $7
            WHERE tenant_id = $1 AND export_id = $2 AND status IN ('accepted', 'processing')
            """, conn, tx))
        {
            cmd.Parameters.Add(Text(tenantId));
            cmd.Parameters.Add(Text(exportId));
            cmd.Parameters.Add(Text(manifest is null ? ExportJobView.Failed : ExportJobView.Completed));
            cmd.Parameters.Add(Text(manifest is null ? null : JsonSerializer.Serialize(manifest, JsonSerializerOptions.Web)));
            cmd.Parameters.Add(Text(failureReason));
            cmd.Parameters.Add(Time(manifest is null ? null : at));
            cmd.Parameters.Add(Time(retainUntil));
            if (await cmd.ExecuteNonQueryAsync() == 0)
            {
                return;
            }
        }

        await using (var purge = new NpgsqlCommand(
            "INSERT INTO outbox (kind, tenant_id, context_id, payload, available_at) VALUES ($1, $2, NULL, $3::jsonb, $4)", conn, tx))
        {
            purge.Parameters.Add(Text(PurgeKind));
            purge.Parameters.Add(Text(tenantId));
            purge.Parameters.Add(Text(Payload(exportId)));
            purge.Parameters.Add(Time(retainUntil));
            await purge.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();
    }

    public async Task DeleteAsync(string tenantId, string exportId)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM export_jobs WHERE tenant_id = $1 AND export_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(exportId));
        await cmd.ExecuteNonQueryAsync();
    }

    public static string Payload(string exportId) => JsonSerializer.Serialize(new { exportId });

    public static string ExportIdOf(OutboxMessage message) =>
        JsonDocument.Parse(message.Payload).RootElement.GetProperty("exportId").GetString()
        ?? throw new InvalidOperationException("Export outbox row without an export id.");

    private async Task<Guid?> ScalarGuidAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }
}
