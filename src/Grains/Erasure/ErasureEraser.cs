using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Erasure;
using Vectros.Grains.Blobs;
using Vectros.Grains.Identity;
using Vectros.Grains.Users;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Erasure;

/// <summary>
/// Deletes what a plan names. Every step is idempotent (deleting ids that are already gone deletes nothing), so a run
/// that crashed part-way is simply run again.
/// <para>
/// Records, documents and folders are not deleted through their grains' delete paths on purpose: those write a
/// tombstone and a DELETE history row holding the row's non-sensitive values, which is exactly what erasure must not
/// leave behind. Erasure leaves no tombstone (and removes any the ids had). The identity row does go through its own
/// write batch (<see cref="UserWriteBatch.Delete"/>, <see cref="EntityWriteBatch.Delete"/>), without a history row.
/// </para>
/// </summary>
internal sealed class ErasureEraser(NpgsqlDataSource dataSource, IBlobStore blobs)
{
    // $1 tenant, $2 context, $3 record ids, $4 document ids, $5 folder ids. One batch = one transaction per context.
    private static readonly string[] ContextSql =
    [
        "DELETE FROM chunks WHERE tenant_id = $1 AND context_id = $2 AND source_id = ANY($3 || $4)",
        "DELETE FROM events WHERE tenant_id = $1 AND context_id = $2 AND source_id = ANY($3 || $4)",
        "DELETE FROM record_lookups WHERE tenant_id = $1 AND context_id = $2 AND record_id = ANY($3)",
        "DELETE FROM record_references WHERE tenant_id = $1 AND context_id = $2 AND source_record_id = ANY($3)",
        "DELETE FROM record_tombstones WHERE tenant_id = $1 AND context_id = $2 AND record_id = ANY($3)",
        "DELETE FROM records WHERE tenant_id = $1 AND context_id = $2 AND record_id = ANY($3)",
        "DELETE FROM document_lookups WHERE tenant_id = $1 AND context_id = $2 AND document_id = ANY($4)",
        "DELETE FROM upload_tickets WHERE tenant_id = $1 AND context_id = $2 AND document_id = ANY($4)",
        "DELETE FROM document_tombstones WHERE tenant_id = $1 AND context_id = $2 AND document_id = ANY($4)",
        "DELETE FROM documents WHERE tenant_id = $1 AND context_id = $2 AND document_id = ANY($4)",
        "DELETE FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = ANY($5)",
    ];

    // History of the erased rows, by disposition. $1 tenant, $2 context, $3 kinds[], $4 ids[] (pairwise), $5 purge?,
    // $6 request id, $7 time. Redaction keeps the row's metadata and hashes and removes its content (migration 0022).
    private const string VersionMatch =
        "tenant_id = $1 AND context_id = $2 AND (entity_kind, entity_id) IN (SELECT * FROM unnest($3::text[], $4::text[]))";

    private static readonly string[] HistorySql =
    [
        $"DELETE FROM entity_versions WHERE $5 AND {VersionMatch}",
        $"DELETE FROM entity_version_heads WHERE $5 AND {VersionMatch}",
        $"""
        UPDATE entity_versions SET previous_content = NULL, changed_fields = NULL, redacted_at = $7, redacted_by = $6
        WHERE NOT $5 AND redacted_at IS NULL AND {VersionMatch}
        """,
    ];

    public async Task EraseContextAsync(string tenantId, ContextPlan plan, string disposition, string requestId, DateTimeOffset at)
    {
        var commands = ContextSql.Select(sql => Command(sql,
            Text(tenantId), Text(plan.ContextId), Ids(plan.Records), Ids(plan.Documents), Ids(plan.Folders))).ToList();
        var history = plan.Records.Select(id => ("record", id)).Concat(plan.Documents.Select(id => ("document", id)))
            .Concat(plan.Folders.Select(id => ("folder", id))).ToList();
        commands.AddRange(HistoryCommands(tenantId, plan.ContextId, history, disposition, requestId, at));
        await Storage.SqlBatch.ExecuteAsync(dataSource, commands);

        // Blobs may live outside PostgreSQL (the disk store): deleted after the rows that named them, each idempotent.
        foreach (var key in plan.BlobKeys)
        {
            await blobs.DeleteAsync(tenantId, plan.ContextId, key, CancellationToken.None);
        }
    }

    /// <summary>The identity row and its lookup rows, through the owning write batch, then its history by disposition.</summary>
    public async Task EraseIdentityAsync(string tenantId, IdentityPlan identity, string disposition, string requestId, DateTimeOffset at)
    {
        var user = identity.Kind == ErasureSubject.UserIdentity;
        await using (var cmd = dataSource.CreateCommand(user
            ? "SELECT version FROM users WHERE tenant_id = $1 AND user_id = $2"
            : "SELECT version FROM entities WHERE tenant_id = $1 AND context_id = $3 AND entity_id = $2"))
        {
            cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Uuid(identity.Id), Text(identity.Home)});
            if (await cmd.ExecuteScalarAsync() is long version)
            {
                if (user)
                {
                    var batch = new UserWriteBatch(tenantId, identity.Id);
                    batch.Delete(version);
                    await batch.ExecuteAsync(dataSource);
                }
                else
                {
                    var batch = new EntityWriteBatch(tenantId, identity.Home, identity.Id);
                    batch.Delete(version);
                    await batch.ExecuteAsync(dataSource);
                }
            }
        }

        await Storage.SqlBatch.ExecuteAsync(dataSource,
            HistoryCommands(tenantId, identity.Home, [(identity.HistoryKind, identity.Id)], disposition, requestId, at));
    }

    private static IEnumerable<NpgsqlBatchCommand> HistoryCommands(
        string tenantId, string contextId, IReadOnlyList<(string Kind, Guid Id)> entries, string disposition, string requestId, DateTimeOffset at) =>
        HistorySql.Select(sql => Command(sql,
            Text(tenantId), Text(contextId), TextArray(entries.Select(e => e.Kind)), TextArray(entries.Select(e => e.Id.ToString())),
            Bool(disposition == ErasureRules.Purge), Text(requestId), Time(at)));

    private static NpgsqlParameter Ids(IReadOnlyList<Guid> ids) => Of(ids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }
}
