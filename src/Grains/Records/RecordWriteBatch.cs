using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.History;
using Vectros.Grains.Outbox;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Records;

/// <summary>
/// Every statement of one record write, sent as a single <see cref="NpgsqlBatch"/>: one round trip, one
/// implicit transaction (a failing statement rolls back all of them). The row, its lookup rows, the removal
/// of stale reference rows and the indexing outbox row go in one statement (data-modifying CTEs); reference
/// checks, the removal of search chunks (archive, delete) and the history row follow. Preconditions (the
/// version the grain last saw, an existing folder, resolvable references) raise through <c>vectros_require</c>
/// (migration 0005), so they cost no extra round trip. Statement texts are fixed, and prepared once per pooled
/// connection: parsing and planning them on every write would cost more than the writes themselves.
/// </summary>
internal sealed class RecordWriteBatch(string tenantId, string contextId, Guid recordId)
{
    public const string IndexOutboxKind = "record.index";

    internal const string VersionConflictState = "VX409";
    internal const string InvalidState = "VX400";

    // Lookup rows arrive as parallel arrays: one fixed statement text whatever the number of rows. Sort keys
    // (migration 0004) travel as text and are cast here, so a number keeps every digit.
    private const string LookupRows =
        "unnest($20::text[], $21::text[], $22::numeric[], $23::text[], $24::boolean[], " +
        "$25::text[], $26::boolean[], $27::text[], $28::text[], $29::boolean[]) AS v(f, k, n, t, u, g, hs, sn, st, su)";

    private const string LookupColumns =
        "tenant_id, context_id, type_name, field, value_key, record_id, value_num, value_text, is_unique, " +
        "group_key, has_sort, sort_num, sort_text, sort_on_update";

    private const string LookupValues = "v.n, v.t, v.u, v.g, v.hs, v.sn::numeric, v.st, v.su";

    private const string CreateSql =
        $"""
        WITH r AS (
            INSERT INTO records (tenant_id, context_id, record_id, type_name, schema_id, schema_version, payload, status,
                folder_id, user_id, scopes, expires_at, external_id, index_mode, index_status, created_by, created_at, updated_at, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17, 1)),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('{IndexOutboxKind}', $1, $2, $18::jsonb))
        INSERT INTO record_lookups ({LookupColumns})
        SELECT $1, $2, $4, v.f, v.k, $3, {LookupValues} FROM {LookupRows}
        """;

    // $19 = whether the payload (so the lookup and reference rows) is replaced. Lookup rows that stay are left
    // alone; the rest are removed and the new ones added, so sibling statements never touch the same row. When
    // the rows are kept, those sorted by lastUpdated still move to this write's time ($30).
    private const string UpdateSql =
        $"""
        WITH u AS (
            UPDATE records SET schema_id = $5, schema_version = $6, payload = $7::jsonb, status = $8, folder_id = $9,
                user_id = $10, scopes = $11, expires_at = $12, index_status = $15, index_failure = NULL, updated_at = $17, version = $16 + 1
            WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3 AND version = $16
            RETURNING 1),
        d AS (
            DELETE FROM record_lookups l
            WHERE $19 AND l.tenant_id = $1 AND l.context_id = $2 AND l.record_id = $3
              AND (l.field, l.value_key) NOT IN (SELECT v.f, v.k FROM {LookupRows})),
        i AS (
            INSERT INTO record_lookups ({LookupColumns})
            SELECT $1, $2, $4, v.f, v.k, $3, {LookupValues} FROM {LookupRows} WHERE $19
            ON CONFLICT (tenant_id, context_id, type_name, field, value_key, record_id) DO UPDATE
                SET value_num = EXCLUDED.value_num, value_text = EXCLUDED.value_text, is_unique = EXCLUDED.is_unique,
                    group_key = EXCLUDED.group_key, has_sort = EXCLUDED.has_sort, sort_num = EXCLUDED.sort_num,
                    sort_text = EXCLUDED.sort_text, sort_on_update = EXCLUDED.sort_on_update),
        s AS (
            UPDATE record_lookups SET sort_num = $30
            WHERE NOT $19 AND tenant_id = $1 AND context_id = $2 AND record_id = $3 AND sort_on_update),
        x AS (
            DELETE FROM record_references WHERE $19 AND tenant_id = $1 AND context_id = $2 AND source_record_id = $3),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('{IndexOutboxKind}', $1, $2, $18::jsonb))
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{VersionConflictState}', 'version')
        """;

    private const string DeleteSql =
        $"""
        WITH d AS (
            DELETE FROM records WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3 AND version = $4 RETURNING 1),
        t AS (
            INSERT INTO record_tombstones (tenant_id, context_id, record_id, type_name, snapshot, deleted_by, deleted_at)
            VALUES ($1, $2, $3, $5, $6::jsonb, $7, $8)
            ON CONFLICT (tenant_id, context_id, record_id) DO UPDATE
                SET type_name = EXCLUDED.type_name, snapshot = EXCLUDED.snapshot, deleted_by = EXCLUDED.deleted_by, deleted_at = EXCLUDED.deleted_at),
        l AS (
            DELETE FROM record_lookups WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3),
        x AS (
            DELETE FROM record_references WHERE tenant_id = $1 AND context_id = $2 AND source_record_id = $3),
        o AS (
            INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('{IndexOutboxKind}', $1, $2, $9::jsonb))
        SELECT vectros_require((SELECT count(*) FROM d) = 1, '{VersionConflictState}', 'version')
        """;

    // Its own statement after the row's, not a CTE beside it: it runs on a fresh snapshot once the row's lock is
    // held, so chunks an indexing run committed while this write waited for the row go too (a CTE shares the
    // statement's earlier snapshot and would miss them). Same batch, so still one round trip and one transaction.
    private const string RemoveChunksSql =
        "DELETE FROM chunks WHERE tenant_id = $1 AND context_id = $2 AND source_kind = 'record' AND source_id = $3";

    internal const string FolderSql =
        $"""
        SELECT vectros_require(EXISTS (SELECT 1 FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3),
                               '{InvalidState}', 'folderId')
        """;

    internal const string ScopeTargetSql =
        $"SELECT vectros_require(vectros_scope_target_missing($1, $2, $3) IS NULL, '{InvalidState}', 'scopes')";

    private const string ReferenceInsert =
        $"""
        i AS (
            INSERT INTO record_references (tenant_id, context_id, source_record_id, field, target_surface, target_type, target_id)
            SELECT $1, $2, $3, $4, 'record', $5, t.record_id FROM t
            ON CONFLICT DO NOTHING)
        SELECT vectros_require((SELECT count(*) FROM t) = $7, '{InvalidState}', $8)
        """;

    private static readonly Dictionary<ReferenceMatch, string> _referenceSql = new()
    {
        [ReferenceMatch.ExternalId] =
            "WITH t AS (SELECT DISTINCT ON (r.external_id) r.external_id AS k, r.record_id FROM records r " +
            "WHERE r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $5 AND r.external_id = ANY($6::text[])),\n" + ReferenceInsert,
        [ReferenceMatch.Id] =
            "WITH t AS (SELECT r.record_id FROM records r " +
            "WHERE r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $5 AND r.record_id = ANY($6::text[]::uuid[])),\n" + ReferenceInsert,
        [ReferenceMatch.UniqueLookup] =
            "WITH t AS (SELECT DISTINCT ON (l.value_key) l.value_key AS k, l.record_id FROM record_lookups l " +
            "WHERE l.tenant_id = $1 AND l.context_id = $2 AND l.type_name = $5 AND l.field = $9 AND l.is_unique " +
            "AND l.value_key = ANY($6::text[])),\n" + ReferenceInsert,
    };

    private readonly List<NpgsqlBatchCommand> _commands = [];
    private readonly Dictionary<string, string> _guardMessages = new(StringComparer.Ordinal);
    private IReadOnlyList<LookupRow> _lookups = [];

    /// <summary>Inserts the row, its lookup rows and the indexing outbox row.</summary>
    public void Create(RecordRow row, IReadOnlyList<LookupRow> lookups)
    {
        _lookups = lookups;
        Add(CreateSql,
        [
            Text(tenantId), Text(contextId), Uuid(recordId), Text(row.TypeName), Uuid(row.SchemaId), Int(row.SchemaVersion),
            Text(row.StoredPayload), Text(row.Status), Uuid(row.FolderId), Uuid(row.UserId), TextArray(row.Scopes), Time(row.ExpiresAt),
            Text(row.ExternalId), Text(row.IndexMode), Text(row.IndexStatus), Text(row.CreatedBy), Time(row.CreatedAt),
            Text(OutboxPayload("upsert")), Bool(true), .. LookupParameters(lookups, row),
        ]);
    }

    /// <summary>
    /// Updates the row only if it is still at <paramref name="expectedVersion"/> (else the batch fails with a
    /// version conflict). With <paramref name="lookups"/> the payload changed: lookup rows are replaced and the
    /// record's reference rows removed (the caller adds the new ones); null leaves both alone.
    /// </summary>
    public void Update(RecordRow row, long expectedVersion, IReadOnlyList<LookupRow>? lookups)
    {
        _lookups = lookups ?? [];
        Add(UpdateSql,
        [
            Text(tenantId), Text(contextId), Uuid(recordId), Text(row.TypeName), Uuid(row.SchemaId), Int(row.SchemaVersion),
            Text(row.StoredPayload), Text(row.Status), Uuid(row.FolderId), Uuid(row.UserId), TextArray(row.Scopes), Time(row.ExpiresAt),
            Text(null), Text(null), Text(row.IndexStatus), Long(expectedVersion), Time(row.UpdatedAt),
            Text(OutboxPayload("upsert")), Bool(lookups is not null), .. LookupParameters(_lookups, row),
            Of((decimal)LookupSort.EpochMillis(row.UpdatedAt), NpgsqlDbType.Numeric),
        ]);

        // Archived items leave search in the write that archives them; ACTIVE again re-indexes through the outbox row.
        if (row.Status == "ARCHIVED")
        {
            RemoveChunks();
        }
    }

    /// <summary>Removes the row (if still at <paramref name="expectedVersion"/>), its lookup, reference and search rows; keeps a tombstone.</summary>
    public void Delete(long expectedVersion, string typeName, JsonObject snapshot, string deletedBy, DateTimeOffset deletedAt)
    {
        Add(DeleteSql,
            Text(tenantId), Text(contextId), Uuid(recordId), Long(expectedVersion), Text(typeName), Text(snapshot.ToJsonString()),
            Text(deletedBy), Time(deletedAt), Text(OutboxPayload("delete")));
        RemoveChunks();
    }

    /// <summary>The folder must exist in this context (folders are per context; another context's id is as absent).</summary>
    public void RequireFolder(Guid folderId)
    {
        _guardMessages["folderId"] = "folderId does not name a folder in this context.";
        Add(FolderSql, Text(tenantId), Text(contextId), Uuid(folderId));
    }

    /// <summary>Resolves the keys against the target type, writes a row per target, and fails the batch when any key is unmatched.</summary>
    public void InsertReferences(ReferenceTarget target)
    {
        var path = PayloadPath.Display(target.Field);
        _guardMessages[path] = $"{path} references a {target.TargetType} record that does not exist in this context.";
        Add(_referenceSql[target.Match],
            Text(tenantId), Text(contextId), Uuid(recordId), Text(target.Field), Text(target.TargetType),
            new NpgsqlParameter { Value = target.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            Long(target.Keys.Count), Text(path), Text(target.LookupField ?? ""));
    }

    /// <summary>
    /// Each scope in an entity-backed namespace must name an existing entity (0.40 §2 "Parent check"); free-form
    /// namespaces take any value. Checked inside the write, so an entity deleted concurrently cannot slip through.
    /// </summary>
    public void RequireScopeTargets(IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        _guardMessages["scopes"] = "scopes: each entry in an entity-backed namespace must name an existing entity of that namespace.";
        Add(ScopeTargetSql, Text(tenantId), Text(contextId), TextArray(scopes));
    }

    /// <summary>The record's search chunks out, in this transaction (after the row statement: see <see cref="RemoveChunksSql"/>).</summary>
    private void RemoveChunks() => Add(RemoveChunksSql, Text(tenantId), Text(contextId), Uuid(recordId));

    public void AppendVersion(VersionEntry entry) => _commands.Add(VersionHistory.AppendCommand(entry));

    /// <summary>Runs the batch; failures come back as the grain exception family (or <see cref="ExternalIdTakenException"/>).</summary>
    public async Task ExecuteAsync(NpgsqlDataSource dataSource, OutboxSignal outbox, string typeName)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(conn);
        foreach (var cmd in _commands)
        {
            batch.BatchCommands.Add(cmd);
        }

        try
        {
            // A no-op on a connection that has already prepared these texts (Npgsql keeps them across pooling).
            await batch.PrepareAsync();
            await batch.ExecuteNonQueryAsync();
            outbox.Wake();
        }
        catch (PostgresException ex) when (ex.SqlState == VersionConflictState)
        {
            throw new VersionRaceException();
        }
        catch (PostgresException ex) when (ex.SqlState == InvalidState)
        {
            var field = ex.MessageText;
            throw new ValidationException(field, _guardMessages.GetValueOrDefault(field, $"{field} is not valid."));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            if (ex.ConstraintName == "records_external_id")
            {
                throw new ExternalIdTakenException();
            }

            if (ex.ConstraintName == "record_lookups_unique")
            {
                throw await DuplicateAsync(conn, typeName);
            }

            throw new VersionRaceException();
        }
    }

    /// <summary>
    /// Off the hot path (the write already failed): which unique field clashed. The message names the field,
    /// never the value, which may be sensitive.
    /// </summary>
    private async Task<ConflictException> DuplicateAsync(NpgsqlConnection conn, string typeName)
    {
        var unique = _lookups.Where(l => l.IsUnique).ToList();
        var fields = unique.Select(l => l.Field).Distinct(StringComparer.Ordinal).ToList();
        string? field = fields.Count == 1 ? fields[0] : null;
        if (field is null && unique.Count > 0)
        {
            await using var cmd = new NpgsqlCommand(
                """
                SELECT l.field FROM record_lookups l
                JOIN unnest($4::text[], $5::text[]) AS v(f, k) ON l.field = v.f AND l.value_key = v.k
                WHERE l.tenant_id = $1 AND l.context_id = $2 AND l.type_name = $3 AND l.is_unique AND l.record_id <> $6
                LIMIT 1
                """, conn);
            cmd.Parameters.Add(Text(tenantId));
            cmd.Parameters.Add(Text(contextId));
            cmd.Parameters.Add(Text(typeName));
            cmd.Parameters.Add(new NpgsqlParameter { Value = unique.Select(l => l.Field).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = unique.Select(l => l.ValueKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            cmd.Parameters.Add(Uuid(recordId));
            field = await cmd.ExecuteScalarAsync() as string;
        }

        var what = field is not null
            ? $"the unique lookup field '{field}'"
            : $"one of the unique lookup fields ({string.Join(", ", fields)})";
        return new ConflictException("UNIQUE_VIOLATION", $"Another {typeName} record already has this value in {what}.");
    }

    /// <summary>The indexing work item (drained by the search indexer); ids only, never payload values.</summary>
    private string OutboxPayload(string op) => new JsonObject { ["recordId"] = recordId.ToString(), ["op"] = op }.ToJsonString();

    /// <summary>The rows as parallel arrays; timestamp sort keys are resolved against <paramref name="row"/>'s times.</summary>
    private static NpgsqlParameter[] LookupParameters(IReadOnlyList<LookupRow> rows, RecordRow row) =>
        LookupRowParameters.Of(rows, row.CreatedAt, row.UpdatedAt);

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }
}
