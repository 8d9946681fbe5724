using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.History;
using Vectros.Grains.Records;
using static Vectros.Grains.Storage.SqlParam;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Identity;

/// <summary>
/// Every statement of one entity write as a single <see cref="NpgsqlBatch"/>: one round trip, one implicit
/// transaction. Preconditions raise through <c>vectros_require</c> and roll the whole write back: the namespace
/// is still registered and entity-backed (its row share-locked, so it cannot be deleted or un-backed until this
/// commits), each parent names an existing entity (<c>vectros_scope_target_missing</c>), and an update or delete
/// finds the row at the version the grain last saw.
/// </summary>
internal sealed class EntityWriteBatch(string tenantId, string home, Guid entityId)
{
    private const string VersionConflictState = "VX409";
    private const string InvalidState = "VX400";
    private const string ParentPrefix = "scopes:";

    private const string NamespaceSql =
        $"""
        SELECT vectros_require(EXISTS (
            SELECT 1 FROM namespaces WHERE tenant_id = $1 AND context_id = $2 AND namespace = $3 AND entity_backed FOR SHARE),
            '{InvalidState}', 'namespace')
        """;

    // The detail carries the first missing parent, so the 400 can name it; scope values are not sensitive.
    private const string ParentsSql =
        $"""
        SELECT vectros_require(m IS NULL, '{InvalidState}', '{ParentPrefix}' || coalesce(m, ''))
        FROM (SELECT vectros_scope_target_missing($1, $2, $3::text[]) AS m) s
        """;

    private const string InsertSql =
        """
        INSERT INTO entities (tenant_id, context_id, entity_id, namespace, external_id, name, status, payload, schema_id, schema_version,
            schema_context_id, type_name, scopes, user_id, created_by, created_at, updated_at, version)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, $15, $16, $16, 1)
        """;

    private const string UpdateSql =
        $"""
        WITH u AS (
            UPDATE entities SET name = $4, status = $5, payload = $6::jsonb, schema_id = $7, schema_version = $8, schema_context_id = $9,
                type_name = $10, scopes = $11, updated_at = $12, version = $13 + 1
            WHERE tenant_id = $1 AND context_id = $2 AND entity_id = $3 AND version = $13
            RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{VersionConflictState}', 'version')
        """;

    private const string DeleteSql =
        $"""
        WITH d AS (DELETE FROM entities WHERE tenant_id = $1 AND context_id = $2 AND entity_id = $3 AND version = $4 RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM d) = 1, '{VersionConflictState}', 'version')
        """;

    private const string DeleteLookupsSql = "DELETE FROM entity_lookups WHERE tenant_id = $1 AND context_id = $2 AND entity_id = $3";

    private const string InsertLookupsSql =
        """
        INSERT INTO entity_lookups (tenant_id, context_id, namespace, type_name, field, value_key, entity_id, value_num, value_text, is_unique)
        SELECT $1, $2, $4, $5, v.f, v.k, $3, v.n, v.t, v.u
        FROM unnest($6::text[], $7::text[], $8::numeric[], $9::text[], $10::boolean[]) AS v(f, k, n, t, u)
        """;

    private readonly List<NpgsqlBatchCommand> _commands = [];
    private IReadOnlyList<LookupRow> _lookups = [];
    private string _namespace = "";

    /// <summary>The namespace must still be registered in this home and entity-backed; share-locks its row.</summary>
    public void RequireNamespace(string ns)
    {
        _namespace = ns;
        Add(NamespaceSql, Text(tenantId), Text(home), Text(ns));
    }

    /// <summary>Each parent in an entity-backed namespace must name an entity visible from this home.</summary>
    public void RequireParents(IReadOnlyList<string> scopes) =>
        Add(ParentsSql, Text(tenantId), Text(home), Of(scopes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));

    public void Insert(EntityRow row) => Add(InsertSql,
        Text(tenantId), Text(home), Uuid(entityId), Text(row.Namespace), Text(row.ExternalId), Text(row.Name), Text(row.Status),
        Text(row.StoredPayload), Uuid(row.SchemaId), Int(row.SchemaVersion), Text(row.SchemaContextId), Text(row.TypeName),
        Of(row.Scopes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text), Uuid(row.UserId), Text(row.CreatedBy), Time(row.CreatedAt));

    /// <summary>Updates the row only if it is still at <paramref name="expectedVersion"/> (else a version conflict).</summary>
    public void Update(EntityRow row, long expectedVersion) => Add(UpdateSql,
        Text(tenantId), Text(home), Uuid(entityId), Text(row.Name), Text(row.Status), Text(row.StoredPayload), Uuid(row.SchemaId),
        Int(row.SchemaVersion), Text(row.SchemaContextId), Text(row.TypeName), Of(row.Scopes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
        Time(row.UpdatedAt), Long(expectedVersion));

    /// <summary>Replaces the entity's lookup rows (separate statements: the insert sees the delete).</summary>
    public void ReplaceLookups(string ns, string? typeName, IReadOnlyList<LookupRow> lookups, bool hadLookups)
    {
        _namespace = ns;
        _lookups = lookups;
        if (hadLookups)
        {
            Add(DeleteLookupsSql, Text(tenantId), Text(home), Uuid(entityId));
        }

        if (lookups.Count > 0)
        {
            Add(InsertLookupsSql,
                Text(tenantId), Text(home), Uuid(entityId), Text(ns), Text(typeName),
                Of(lookups.Select(l => l.Field).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(lookups.Select(l => l.ValueKey).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(lookups.Select(l => l.ValueNum).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Numeric),
                Of(lookups.Select(l => l.ValueText).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(lookups.Select(l => l.IsUnique).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Boolean));
        }
    }

    /// <summary>Removes the row (if still at <paramref name="expectedVersion"/>) and its lookup rows.</summary>
    public void Delete(long expectedVersion)
    {
        Add(DeleteSql, Text(tenantId), Text(home), Uuid(entityId), Long(expectedVersion));
        Add(DeleteLookupsSql, Text(tenantId), Text(home), Uuid(entityId));
    }

    public void AppendVersion(VersionEntry entry) => _commands.Add(VersionHistory.AppendCommand(entry));

    /// <summary>Runs the batch; failures come back as the grain exception family (or <see cref="ExternalIdTakenException"/>, <see cref="VersionRaceException"/>).</summary>
    public async Task ExecuteAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            await SqlBatch.ExecuteAsync(dataSource, _commands);
        }
        catch (PostgresException ex) when (ex.SqlState == VersionConflictState)
        {
            throw new VersionRaceException();
        }
        catch (PostgresException ex) when (ex.SqlState == InvalidState && ex.MessageText.StartsWith(ParentPrefix, StringComparison.Ordinal))
        {
            var parent = ex.MessageText[ParentPrefix.Length..];
            throw new ValidationException("scopes",
                $"scopes: '{parent}' does not name an existing entity of namespace '{parent.Split(':')[0]}' (its namespace is entity-backed).");
        }
        catch (PostgresException ex) when (ex.SqlState == InvalidState)
        {
            throw new ValidationException("namespace", $"Namespace '{_namespace}' is no longer registered here or no longer entity-backed.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ex.ConstraintName switch
            {
                "entities_external_id" => new ExternalIdTakenException(),
                "entity_lookups_unique" => Duplicate(),
                _ => new VersionRaceException(),
            };
        }
    }

    /// <summary>The unique lookup that clashed; the message names the field(s), never the value, which may be sensitive.</summary>
    private ConflictException Duplicate()
    {
        var fields = _lookups.Where(l => l.IsUnique).Select(l => l.Field).Distinct(StringComparer.Ordinal).ToList();
        var what = fields.Count == 1 ? $"the unique lookup field '{fields[0]}'" : $"one of the unique lookup fields ({string.Join(", ", fields)})";
        return new ConflictException("UNIQUE_VIOLATION", $"Another entity of namespace '{_namespace}' already has this value in {what}.");
    }

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }
}
