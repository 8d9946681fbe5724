using Npgsql;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Erasure;

/// <summary>Reads (never writes) what an erasure of one subject covers: one statement per context, one for the identity.</summary>
internal sealed class ErasurePlanner(NpgsqlDataSource dataSource)
{
    // $1 tenant, $2 context, $3 user id (uuid or NULL), $4 scope (text or NULL). Everything counted here is what the
    // eraser deletes (ErasureEraser.EraseSql): the same predicates, so a dry run and a real run agree.
    private static readonly string ContextSql =
        $"""
        WITH r AS (SELECT t.record_id FROM records t WHERE t.tenant_id = $1 AND t.context_id = $2 AND {ErasureSubject.SolelyOwned("$3", "$4")}),
        d AS (SELECT t.document_id, t.blob_key FROM documents t WHERE t.tenant_id = $1 AND t.context_id = $2 AND {ErasureSubject.SolelyOwned("$3", "$4")}),
        f AS (SELECT t.folder_id FROM folders t WHERE t.tenant_id = $1 AND t.context_id = $2 AND {ErasureSubject.SolelyOwned("$3", "$4")}),
        ids AS (SELECT record_id AS id FROM r UNION ALL SELECT document_id FROM d)
        SELECT
            (SELECT coalesce(array_agg(record_id ORDER BY record_id), ARRAY[]::uuid[]) FROM r),
            (SELECT coalesce(array_agg(document_id ORDER BY document_id), ARRAY[]::uuid[]) FROM d),
            (SELECT coalesce(array_agg(folder_id ORDER BY folder_id), ARRAY[]::uuid[]) FROM f),
            (SELECT coalesce(array_agg(blob_key ORDER BY blob_key), ARRAY[]::text[]) FROM d WHERE blob_key IS NOT NULL),
            (SELECT count(*) FROM record_lookups WHERE tenant_id = $1 AND context_id = $2 AND record_id IN (SELECT record_id FROM r)),
            (SELECT count(*) FROM record_references WHERE tenant_id = $1 AND context_id = $2 AND source_record_id IN (SELECT record_id FROM r)),
            (SELECT count(*) FROM document_lookups WHERE tenant_id = $1 AND context_id = $2 AND document_id IN (SELECT document_id FROM d)),
            (SELECT count(*) FROM chunks WHERE tenant_id = $1 AND context_id = $2 AND source_id IN (SELECT id FROM ids)),
            (SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND context_id = $2 AND (
                (entity_kind = 'record' AND entity_id IN (SELECT record_id::text FROM r))
                OR (entity_kind = 'document' AND entity_id IN (SELECT document_id::text FROM d))
                OR (entity_kind = 'folder' AND entity_id IN (SELECT folder_id::text FROM f)))),
            (SELECT count(*) FROM events WHERE tenant_id = $1 AND context_id = $2 AND source_id IN (SELECT id FROM ids)),
            (SELECT count(*) FROM records t WHERE t.tenant_id = $1 AND t.context_id = $2 AND {ErasureSubject.Involves("$3", "$4")} AND NOT {ErasureSubject.SolelyOwned("$3", "$4")})
            + (SELECT count(*) FROM documents t WHERE t.tenant_id = $1 AND t.context_id = $2 AND {ErasureSubject.Involves("$3", "$4")} AND NOT {ErasureSubject.SolelyOwned("$3", "$4")})
            + (SELECT count(*) FROM folders t WHERE t.tenant_id = $1 AND t.context_id = $2 AND {ErasureSubject.Involves("$3", "$4")} AND NOT {ErasureSubject.SolelyOwned("$3", "$4")}),
            (SELECT count(*) FROM record_references x WHERE x.tenant_id = $1 AND x.context_id = $2
                AND x.target_id IN (SELECT record_id FROM r) AND x.source_record_id NOT IN (SELECT record_id FROM r))
            + (SELECT count(*) FROM records t WHERE t.tenant_id = $1 AND t.context_id = $2
                AND t.folder_id IN (SELECT folder_id FROM f) AND t.record_id NOT IN (SELECT record_id FROM r))
            + (SELECT count(*) FROM documents t WHERE t.tenant_id = $1 AND t.context_id = $2
                AND t.folder_id IN (SELECT folder_id FROM f) AND t.document_id NOT IN (SELECT document_id FROM d))
            + (SELECT count(*) FROM folders t WHERE t.tenant_id = $1 AND t.context_id = $2
                AND t.parent_id IN (SELECT folder_id FROM f) AND t.folder_id NOT IN (SELECT folder_id FROM f))
        """;

    public async Task<ContextPlan> PlanContextAsync(string tenantId, string contextId, ErasureSubject subject)
    {
        await using var cmd = dataSource.CreateCommand(ContextSql);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(contextId), Uuid(subject.UserId), Text(subject.Scope)});
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ContextPlan(
            contextId,
            reader.GetFieldValue<Guid[]>(0),
            reader.GetFieldValue<Guid[]>(1),
            reader.GetFieldValue<Guid[]>(2),
            reader.GetFieldValue<string[]>(3),
            reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
            reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11));
    }

    /// <summary>
    /// The identity row, its lookup rows and history, and the identities that name the subject as a parent (child
    /// entities keep their <c>user_id</c>/scope entry pointing at a subject that is gone: dangling, not cascaded).
    /// Null for a free-form namespace subject, or when the row is already gone (a rerun).
    /// </summary>
    public async Task<IdentityPlan?> PlanIdentityAsync(string tenantId, ErasureSubject subject)
    {
        if (subject.IdentityKind is not { } kind || subject.IdentityId is not { } id || subject.HistoryKind is not { } historyKind)
        {
            return null;
        }

        var user = kind == ErasureSubject.UserIdentity;
        var sql = user
            ? """
              SELECT EXISTS (SELECT 1 FROM users WHERE tenant_id = $1 AND user_id = $2),
                     (SELECT count(*) FROM user_lookups WHERE tenant_id = $1 AND user_id = $2),
                     (SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND context_id = $3 AND entity_kind = $4 AND entity_id = $2::text),
                     (SELECT count(*) FROM entities t WHERE t.tenant_id = $1 AND t.user_id = $2)
              """
            : """
              SELECT EXISTS (SELECT 1 FROM entities WHERE tenant_id = $1 AND context_id = $3 AND entity_id = $2),
                     (SELECT count(*) FROM entity_lookups WHERE tenant_id = $1 AND context_id = $3 AND entity_id = $2),
                     (SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND context_id = $3 AND entity_kind = $4 AND entity_id = $2::text),
                     (SELECT count(*) FROM entities t WHERE t.tenant_id = $1 AND t.scopes @> ARRAY[$5::text])
              """;
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Uuid(id), Text(subject.IdentityHome), Text(historyKind)});
        if (!user)
        {
            cmd.Parameters.Add(Text(subject.Scope));
        }

        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetBoolean(0)
            ? new IdentityPlan(kind, id, subject.IdentityHome, historyKind, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))
            : null;
    }
}
