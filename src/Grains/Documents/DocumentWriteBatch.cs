using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.History;
using Vectros.Grains.Outbox;
using Vectros.Grains.Records;
using static Vectros.Grains.Storage.SqlParam;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Documents;

/// <summary>
/// Every statement of one document write, sent as a single <see cref="NpgsqlBatch"/>: one round trip, one implicit
/// transaction (a failing statement rolls back all of them), as <see cref="RecordWriteBatch"/> does for records. The
/// row, its lookup rows and the <c>document.index</c> outbox row go in one statement (data-modifying CTEs); guards (the
/// version the grain last saw, an existing folder, scope targets, an unused upload ticket) raise through
/// <c>vectros_require</c>; the removal of its search chunks (delete, archive) and the history row follow.
/// </summary>
internal sealed class DocumentWriteBatch(string tenantId, string contextId, Guid documentId)
{
    public const string IndexOutboxKind = "document.index";

    private const string TicketSpentState = "VX410";

    private const string LookupColumns =
        "tenant_id, context_id, type_name, field, value_key, document_id, value_num, value_text, is_unique, " +
        "group_key, has_sort, sort_num, sort_text, sort_on_update";

    private const string LookupValues = "v.n, v.t, v.u, v.g, v.hs, v.sn::numeric, v.st, v.su";

    // Its own statement after the row's, not a CTE beside it: it runs on a fresh snapshot once the row's lock is held,
    // so chunks an indexing run committed while this write waited for the row go too (a CTE shares the statement's
    // earlier snapshot and would miss them). Same batch, so still one round trip and one transaction.
    private const string DeleteChunks =
        "DELETE FROM chunks WHERE tenant_id = $1 AND context_id = $2 AND source_kind = 'document' AND source_id = $3";

    private static readonly string _createSql =
        $"""
        WITH d AS (
            INSERT INTO documents (tenant_id, context_id, document_id, title, type_name, schema_id, schema_version, payload, status,
                index_mode, index_status, folder_id, user_id, scopes, external_id, source, body, text_bytes, store_text,
                file_name, file_type, created_by, created_at, updated_at, version, content_version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $23, 1, 1)),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload) SELECT '{IndexOutboxKind}', $1, $2, $24::jsonb WHERE $25)
        INSERT INTO document_lookups ({LookupColumns})
        SELECT $1, $2, $5, v.f, v.k, $3, {LookupValues} FROM {LookupRows(26)}
        """;

    // $19 = whether the payload (so the lookup rows) is replaced: rows that stay are left alone, the rest removed and
    // the new ones added, so sibling statements never touch the same row; a re-bound type replaces every row. When the
    // rows are kept, those sorted by lastUpdated still move to this write's time ($30). $14 = whether the text is
    // replaced (a re-ingest: the content version moves). An archiving write also removes the chunks (see Update).
    private static readonly string _updateSql =
        $"""
        WITH u AS (
            UPDATE documents SET title = $4, type_name = $5, schema_id = $6, schema_version = $7, payload = $8::jsonb, status = $9,
                index_status = $10, index_failure = NULL, folder_id = $11, user_id = $12, scopes = $13,
                body = CASE WHEN $14 THEN $15 ELSE body END, text_bytes = CASE WHEN $14 THEN $16 ELSE text_bytes END,
                content_version = content_version + CASE WHEN $14 THEN 1 ELSE 0 END, updated_at = $17, version = $18 + 1
            WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3 AND version = $18
            RETURNING 1),
        d AS (
            DELETE FROM document_lookups l
            WHERE $19 AND l.tenant_id = $1 AND l.context_id = $2 AND l.document_id = $3
              AND (l.type_name IS DISTINCT FROM $5 OR (l.field, l.value_key) NOT IN (SELECT v.f, v.k FROM {LookupRows(20)}))),
        i AS (
            INSERT INTO document_lookups ({LookupColumns})
            SELECT $1, $2, $5, v.f, v.k, $3, {LookupValues} FROM {LookupRows(20)} WHERE $19
            ON CONFLICT (tenant_id, context_id, type_name, field, value_key, document_id) DO UPDATE
                SET value_num = EXCLUDED.value_num, value_text = EXCLUDED.value_text, is_unique = EXCLUDED.is_unique,
                    group_key = EXCLUDED.group_key, has_sort = EXCLUDED.has_sort, sort_num = EXCLUDED.sort_num,
                    sort_text = EXCLUDED.sort_text, sort_on_update = EXCLUDED.sort_on_update),
        s AS (
            UPDATE document_lookups SET sort_num = $30
            WHERE NOT $19 AND tenant_id = $1 AND context_id = $2 AND document_id = $3 AND sort_on_update),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('{IndexOutboxKind}', $1, $2, $31::jsonb))
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{RecordWriteBatch.VersionConflictState}', 'version')
        """;

    private const string DeleteSql =
        $"""
        WITH d AS (
            DELETE FROM documents WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3 AND version = $4 RETURNING 1),
        t AS (
            INSERT INTO document_tombstones (tenant_id, context_id, document_id, snapshot, deleted_by, deleted_at)
            VALUES ($1, $2, $3, $5::jsonb, $6, $7)
            ON CONFLICT (tenant_id, context_id, document_id) DO UPDATE
                SET snapshot = EXCLUDED.snapshot, deleted_by = EXCLUDED.deleted_by, deleted_at = EXCLUDED.deleted_at),
        l AS (
            DELETE FROM document_lookups WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3),
        k AS (
            DELETE FROM upload_tickets WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('{IndexOutboxKind}', $1, $2, $8::jsonb))
        SELECT vectros_require((SELECT count(*) FROM d) = 1, '{RecordWriteBatch.VersionConflictState}', 'version')
        """;

    private const string TicketSql =
        """
        INSERT INTO upload_tickets (ticket_id, tenant_id, context_id, document_id, file_type, max_bytes, expires_at, created_at)
        VALUES ($4, $1, $2, $3, $5, $6, $7, $8)
        """;

    // The ticket is used up only if unused and unexpired at this transaction's clock ($5); the row takes the file only
    // if still at the version the grain saw. Either failing rolls back both (and the caller deletes the stored bytes).
    private const string StoreUploadSql =
        $"""
        WITH t AS (
            UPDATE upload_tickets SET used_at = $5
            WHERE ticket_id = $4 AND tenant_id = $1 AND context_id = $2 AND document_id = $3 AND used_at IS NULL AND expires_at > $5
            RETURNING 1),
        u AS (
            UPDATE documents SET file_type = $6, file_size = $7, blob_key = $8, index_status = $10, index_failure = NULL,
                body = NULL, text_bytes = 0, content_version = content_version + 1, updated_at = $5, version = $9 + 1
            WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3 AND version = $9 AND EXISTS (SELECT 1 FROM t)
            RETURNING 1),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload)
            SELECT '{IndexOutboxKind}', $1, $2, $11::jsonb WHERE EXISTS (SELECT 1 FROM t))
        SELECT vectros_require((SELECT count(*) FROM t) = 1, '{TicketSpentState}', 'ticket'),
               vectros_require((SELECT count(*) FROM u) = 1, '{RecordWriteBatch.VersionConflictState}', 'version')
        """;

    private readonly List<NpgsqlBatchCommand> _commands = [];
    private readonly Dictionary<string, string> _guardMessages = new(StringComparer.Ordinal);
    private IReadOnlyList<LookupRow> _lookups = [];

    /// <summary>Inserts the row with its text (a file document has none yet), its lookup rows and, when <paramref name="enqueue"/>, the indexing row.</summary>
    public void Create(DocumentRow row, string? body, IReadOnlyList<LookupRow> lookups, bool enqueue)
    {
        _lookups = lookups;
        Add(_createSql,
        [
            Text(tenantId), Text(contextId), Uuid(documentId), Text(row.Title), Text(row.TypeName), Uuid(row.SchemaId), Int(row.SchemaVersion),
            Text(row.StoredPayload), Text(row.Status), Text(row.IndexMode), Text(row.IndexStatus), Uuid(row.FolderId), Uuid(row.UserId),
            TextArray(row.Scopes), Text(row.ExternalId), Text(row.Source), Text(body), Long(row.TextBytes), Bool(row.StoreText),
            Text(row.FileName), Text(row.FileType), Text(row.CreatedBy), Time(row.CreatedAt),
            Text(OutboxPayload("upsert")), Bool(enqueue), .. LookupRowParameters.Of(lookups, row.CreatedAt, row.UpdatedAt),
        ]);
    }

    /// <summary>
    /// Updates the row if still at <paramref name="expectedVersion"/>. <paramref name="lookups"/> non-null = the payload
    /// changed (rows replaced); <paramref name="text"/> non-null = the text is re-ingested; <paramref name="archive"/> =
    /// the document's chunks leave the search index now. Always enqueues indexing: the indexer decides what changed.
    /// </summary>
    public void Update(DocumentRow row, long expectedVersion, IReadOnlyList<LookupRow>? lookups, string? text, bool archive)
    {
        _lookups = lookups ?? [];
        Add(_updateSql,
        [
            Text(tenantId), Text(contextId), Uuid(documentId), Text(row.Title), Text(row.TypeName), Uuid(row.SchemaId), Int(row.SchemaVersion),
            Text(row.StoredPayload), Text(row.Status), Text(row.IndexStatus), Uuid(row.FolderId), Uuid(row.UserId), TextArray(row.Scopes),
            Bool(text is not null), Text(text), Long(row.TextBytes), Time(row.UpdatedAt), Long(expectedVersion),
            Bool(lookups is not null), .. LookupRowParameters.Of(_lookups, row.CreatedAt, row.UpdatedAt),
            Of((decimal)LookupSort.EpochMillis(row.UpdatedAt), NpgsqlDbType.Numeric), Text(OutboxPayload("upsert")),
        ]);
        if (archive)
        {
            RemoveChunks();
        }
    }

    /// <summary>Removes the row (if still at <paramref name="expectedVersion"/>), its lookup rows, chunks and tickets; keeps a tombstone.</summary>
    public void Delete(long expectedVersion, JsonObject snapshot, string deletedBy, DateTimeOffset deletedAt)
    {
        Add(DeleteSql,
            Text(tenantId), Text(contextId), Uuid(documentId), Long(expectedVersion), Text(snapshot.ToJsonString()), Text(deletedBy),
            Time(deletedAt), Text(OutboxPayload("delete")));
        RemoveChunks();
    }

    /// <summary>The document's search chunks out, in this transaction (after the row statement: see <see cref="DeleteChunks"/>).</summary>
    private void RemoveChunks() => Add(DeleteChunks, Text(tenantId), Text(contextId), Uuid(documentId));

    /// <summary>A single-use upload ticket for this document.</summary>
    public void IssueTicket(Guid ticketId, string fileType, long maxBytes, DateTimeOffset expiresAt, DateTimeOffset now) => Add(
        TicketSql,
        Text(tenantId), Text(contextId), Uuid(documentId), Uuid(ticketId), Text(fileType), Long(maxBytes), Time(expiresAt), Time(now));

    /// <summary>Uses up the ticket and records the stored file on the row (indexStatus <paramref name="indexStatus"/>), enqueuing indexing.</summary>
    public void StoreUpload(Guid ticketId, DateTimeOffset now, string fileType, long fileSize, string blobKey, long expectedVersion, string indexStatus) => Add(
        StoreUploadSql,
        Text(tenantId), Text(contextId), Uuid(documentId), Uuid(ticketId), Time(now), Text(fileType), Long(fileSize), Text(blobKey),
        Long(expectedVersion), Text(indexStatus), Text(OutboxPayload("upsert")));

    /// <summary>The folder must exist in this context (another context's id is as absent).</summary>
    public void RequireFolder(Guid folderId)
    {
        _guardMessages["folderId"] = "folderId does not name a folder in this context.";
        Add(RecordWriteBatch.FolderSql, Text(tenantId), Text(contextId), Uuid(folderId));
    }

    /// <summary>Each scope in an entity-backed namespace must name an existing entity (0.40 §2 "Parent check").</summary>
    public void RequireScopeTargets(IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        _guardMessages["scopes"] = "scopes: each entry in an entity-backed namespace must name an existing entity of that namespace.";
        Add(RecordWriteBatch.ScopeTargetSql, Text(tenantId), Text(contextId), TextArray(scopes));
    }

    public void AppendVersion(VersionEntry entry) => _commands.Add(VersionHistory.AppendCommand(entry));

    /// <summary>
    /// Runs the batch; failures come back as the grain exception family, or as <see cref="ExternalIdTakenException"/>,
    /// <see cref="VersionRaceException"/> and <see cref="TicketSpentException"/> for the grain to resolve.
    /// </summary>
    public async Task ExecuteAsync(NpgsqlDataSource dataSource, OutboxSignal outbox, string? typeName)
    {
        try
        {
            await SqlBatch.ExecuteAsync(dataSource, _commands, prepare: true);
            outbox.Wake();
        }
        catch (PostgresException ex) when (ex.SqlState == RecordWriteBatch.VersionConflictState)
        {
            throw new VersionRaceException();
        }
        catch (PostgresException ex) when (ex.SqlState == TicketSpentState)
        {
            throw new TicketSpentException();
        }
        catch (PostgresException ex) when (ex.SqlState == RecordWriteBatch.InvalidState)
        {
            var field = ex.MessageText;
            throw new ValidationException(field, _guardMessages.GetValueOrDefault(field, $"{field} is not valid."));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ex.ConstraintName switch
            {
                "documents_external_id" => new ExternalIdTakenException(),
                "document_lookups_unique" => Duplicate(typeName),
                _ => new VersionRaceException(),
            };
        }
    }

    /// <summary>The message names the unique field, never the value (which may be sensitive).</summary>
    private ConflictException Duplicate(string? typeName)
    {
        var fields = _lookups.Where(l => l.IsUnique).Select(l => l.Field).Distinct(StringComparer.Ordinal).ToList();
        var what = fields.Count == 1 ? $"the unique lookup field '{fields[0]}'" : $"one of the unique lookup fields ({string.Join(", ", fields)})";
        return new ConflictException("UNIQUE_VIOLATION", $"Another {typeName} document already has this value in {what}.");
    }

    /// <summary>The indexing work item (team contract): ids only, never content.</summary>
    private string OutboxPayload(string op) => new JsonObject { ["documentId"] = documentId.ToString(), ["op"] = op }.ToJsonString();

    /// <summary>Lookup rows as parallel arrays starting at parameter <paramref name="first"/> (<see cref="LookupRowParameters"/>).</summary>
    private static string LookupRows(int first)
    {
        var p = Enumerable.Range(first, 10).Select(i => $"${i}").ToArray();
        return $"unnest({p[0]}::text[], {p[1]}::text[], {p[2]}::numeric[], {p[3]}::text[], {p[4]}::boolean[], " +
               $"{p[5]}::text[], {p[6]}::boolean[], {p[7]}::text[], {p[8]}::text[], {p[9]}::boolean[]) AS v(f, k, n, t, u, g, hs, sn, st, su)";
    }

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }
}

/// <summary>The upload ticket was used (or expired) between the grain's check and its write.</summary>
internal sealed class TicketSpentException() : Exception("The upload ticket is used or expired.");
