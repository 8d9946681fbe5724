using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.History;

namespace Vectros.Grains.Records;

/// <summary>
/// Every statement of one record write, sent as a single <see cref="NpgsqlBatch"/>: one round trip, one
/// implicit transaction (a failing statement rolls back all of them). Preconditions (the version the grain
/// last saw, an existing folder, resolvable references) are statements that raise through
/// <c>vectros_require</c> (migration 0005), so they cost no extra round trip either.
/// </summary>
internal sealed class RecordWriteBatch(string tenantId, string contextId, Guid recordId)
{
    public const string IndexOutboxKind = "record.index";

    private const string VersionConflictState = "VX409";
    private const string InvalidState = "VX400";
    private const string DuplicateState = "VXDUP";

    private readonly List<NpgsqlBatchCommand> _commands = [];
    private readonly List<string> _uniqueLookupFields = [];
    private readonly Dictionary<string, string> _guardMessages = new(StringComparer.Ordinal);

    public void InsertRecord(RecordRow row) => Add(
        """
        INSERT INTO records (tenant_id, context_id, record_id, type_name, schema_id, schema_version, payload, status,
            folder_id, user_id, org_id, client_id, external_id, index_mode, index_status, created_by, created_at, updated_at, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
        """,
        Text(tenantId), Text(contextId), Uuid(recordId), Text(row.TypeName), Uuid(row.SchemaId), Int(row.SchemaVersion),
        Text(row.StoredPayload), Text(row.Status), Uuid(row.FolderId), Uuid(row.UserId), Uuid(row.OrgId), Uuid(row.ClientId),
        Text(row.ExternalId), Text(row.IndexMode), Text(row.IndexStatus), Text(row.CreatedBy), Time(row.CreatedAt),
        Time(row.UpdatedAt), Long(row.Version));

    /// <summary>Updates the row only if it is still at <paramref name="expectedVersion"/>; otherwise the batch fails with a version conflict.</summary>
    public void UpdateRecord(RecordRow row, long expectedVersion) => Add(
        $"""
        WITH u AS (
            UPDATE records SET schema_id = $4, schema_version = $5, payload = $6::jsonb, status = $7, folder_id = $8,
                user_id = $9, org_id = $10, client_id = $11, index_status = $12, updated_at = $13, version = $14
            WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3 AND version = $15
            RETURNING 1)
        SELECT vectros_require(count(*) = 1, '{VersionConflictState}', 'version') FROM u
        """,
        Text(tenantId), Text(contextId), Uuid(recordId), Uuid(row.SchemaId), Int(row.SchemaVersion), Text(row.StoredPayload),
        Text(row.Status), Uuid(row.FolderId), Uuid(row.UserId), Uuid(row.OrgId), Uuid(row.ClientId), Text(row.IndexStatus),
        Time(row.UpdatedAt), Long(row.Version), Long(expectedVersion));

    public void DeleteRecord(long expectedVersion) => Add(
        $"""
        WITH d AS (
            DELETE FROM records WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3 AND version = $4 RETURNING 1)
        SELECT vectros_require(count(*) = 1, '{VersionConflictState}', 'version') FROM d
        """,
        Text(tenantId), Text(contextId), Uuid(recordId), Long(expectedVersion));

    /// <summary>The folder must exist in this context (folders are per context; another context's id is as absent).</summary>
    public void RequireFolder(Guid folderId)
    {
        _guardMessages["folderId"] = "folderId does not name a folder in this context.";
        Add(
            $"""
            SELECT vectros_require(EXISTS (SELECT 1 FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3),
                                   '{InvalidState}', 'folderId')
            """,
            Text(tenantId), Text(contextId), Uuid(folderId));
    }

    public void DeleteLookups() => Add(
        "DELETE FROM record_lookups WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3",
        Text(tenantId), Text(contextId), Uuid(recordId));

    /// <summary>
    /// One statement per field. A unique field is first checked by a guard that names it in the 409; the unique
    /// index stays the real arbiter between concurrent writers (a race that slips past both guards fails there).
    /// </summary>
    public void InsertLookups(string typeName, IReadOnlyList<LookupRow> rows)
    {
        foreach (var group in rows.GroupBy(r => (r.Field, r.IsUnique)))
        {
            var list = group.ToList();
            if (group.Key.IsUnique)
            {
                _uniqueLookupFields.Add(group.Key.Field);
                Add(
                    $"""
                    SELECT vectros_require(NOT EXISTS (
                        SELECT 1 FROM record_lookups
                        WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND field = $4 AND is_unique
                          AND value_key = ANY($5::text[]) AND record_id <> $6), '{DuplicateState}', $4)
                    """,
                    Text(tenantId), Text(contextId), Text(typeName), Text(group.Key.Field),
                    new NpgsqlParameter { Value = list.Select(r => r.ValueKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                    Uuid(recordId));
            }

            Add(
                """
                INSERT INTO record_lookups (tenant_id, context_id, type_name, field, value_key, record_id, value_num, value_text, is_unique)
                SELECT $1, $2, $3, $4, v.k, $5, v.n, v.t, $6 FROM unnest($7::text[], $8::numeric[], $9::text[]) AS v(k, n, t)
                """,
                Text(tenantId), Text(contextId), Text(typeName), Text(group.Key.Field), Uuid(recordId), Bool(group.Key.IsUnique),
                new NpgsqlParameter { Value = list.Select(r => r.ValueKey).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter { Value = list.Select(r => r.ValueNum).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Numeric },
                new NpgsqlParameter { Value = list.Select(r => r.ValueText).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }
    }

    public void DeleteReferences() => Add(
        "DELETE FROM record_references WHERE tenant_id = $1 AND context_id = $2 AND source_record_id = $3",
        Text(tenantId), Text(contextId), Uuid(recordId));

    /// <summary>Resolves the keys against the target type, writes a row per target, and fails the batch when any key is unmatched.</summary>
    public void InsertReferences(ReferenceTarget target)
    {
        var path = PayloadPath.Display(target.Field);
        _guardMessages[path] = $"{path} references a {target.TargetType} record that does not exist in this context.";
        var source = target.Match switch
        {
            ReferenceMatch.ExternalId =>
                "SELECT DISTINCT ON (r.external_id) r.external_id AS k, r.record_id FROM records r " +
                "WHERE r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $5 AND r.external_id = ANY($6::text[])",
            ReferenceMatch.Id =>
                "SELECT r.record_id::text AS k, r.record_id FROM records r " +
                "WHERE r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $5 AND r.record_id::text = ANY($6::text[])",
            _ =>
                "SELECT DISTINCT ON (l.value_key) l.value_key AS k, l.record_id FROM record_lookups l " +
                "WHERE l.tenant_id = $1 AND l.context_id = $2 AND l.type_name = $5 AND l.field = $9 AND l.is_unique " +
                "AND l.value_key = ANY($6::text[])",
        };
        Add(
            $"""
            WITH t AS ({source}),
            i AS (
                INSERT INTO record_references (tenant_id, context_id, source_record_id, field, target_surface, target_type, target_id)
                SELECT $1, $2, $3, $4, 'record', $5, t.record_id FROM t
                ON CONFLICT DO NOTHING)
            SELECT vectros_require((SELECT count(*) FROM t) = $7, '{InvalidState}', $8)
            """,
            Text(tenantId), Text(contextId), Uuid(recordId), Text(target.Field), Text(target.TargetType),
            new NpgsqlParameter { Value = target.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            Long(target.Keys.Count), Text(path), Text(target.LookupField ?? ""));
    }

    public void InsertTombstone(string typeName, JsonObject snapshot, string deletedBy, DateTimeOffset deletedAt) => Add(
        """
        INSERT INTO record_tombstones (tenant_id, context_id, record_id, type_name, snapshot, deleted_by, deleted_at)
        VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)
        ON CONFLICT (tenant_id, context_id, record_id) DO UPDATE
            SET type_name = EXCLUDED.type_name, snapshot = EXCLUDED.snapshot, deleted_by = EXCLUDED.deleted_by, deleted_at = EXCLUDED.deleted_at
        """,
        Text(tenantId), Text(contextId), Uuid(recordId), Text(typeName), Text(snapshot.ToJsonString()), Text(deletedBy), Time(deletedAt));

    public void AppendVersion(VersionEntry entry) => _commands.Add(VersionHistory.AppendCommand(entry));

    /// <summary>The indexing work item (drained by the search indexer); carries ids only, never payload values.</summary>
    public void EnqueueIndex(string op) => Add(
        "INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ($1, $2, $3, $4::jsonb)",
        Text(IndexOutboxKind), Text(tenantId), Text(contextId),
        Text(new JsonObject { ["recordId"] = recordId.ToString(), ["op"] = op }.ToJsonString()));

    /// <summary>Runs the batch; failures come back as the grain exception family (or <see cref="ExternalIdTakenException"/>).</summary>
    public async Task ExecuteAsync(NpgsqlDataSource dataSource, string typeName)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var cmd in _commands)
        {
            batch.BatchCommands.Add(cmd);
        }

        try
        {
            await batch.ExecuteNonQueryAsync();
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
        catch (PostgresException ex) when (ex.SqlState == DuplicateState)
        {
            throw Duplicate(typeName, $"the unique lookup field '{ex.MessageText}'");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            if (ex.ConstraintName == "records_external_id")
            {
                throw new ExternalIdTakenException();
            }

            if (ex.ConstraintName == "record_lookups_unique")
            {
                // A concurrent writer committed the same value between our guard and our insert.
                throw Duplicate(typeName, _uniqueLookupFields.Count == 1
                    ? $"the unique lookup field '{_uniqueLookupFields[0]}'"
                    : $"one of the unique lookup fields ({string.Join(", ", _uniqueLookupFields)})");
            }

            throw new VersionRaceException();
        }
    }

    // Names the field, never the value: the value may be sensitive.
    private static ConflictException Duplicate(string typeName, string what) =>
        new("UNIQUE_VIOLATION", $"Another {typeName} record already has this value in {what}.");

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Uuid(Guid? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid };

    private static NpgsqlParameter Int(int? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer };

    private static NpgsqlParameter Long(long value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter Bool(bool value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Boolean };

    private static NpgsqlParameter Time(DateTimeOffset value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.TimestampTz };
}

/// <summary>The externalId is already held by another record of the type: the create becomes an idempotent match.</summary>
internal sealed class ExternalIdTakenException() : Exception("The externalId is held by another record.");

/// <summary>The row moved on under the grain (another activation wrote it): reload, then report a conflict.</summary>
internal sealed class VersionRaceException() : Exception("The record row changed under this activation.");
