using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.History;
using Vectros.Grains.Storage;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Schemas;

/// <summary>
/// SQL for the <c>schemas</c> table. Every statement binds tenant and context; <c>version</c> is the ETag that
/// guards writes; every write carries its history row in the same transaction.
/// </summary>
internal sealed class SchemaStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "schema_id, tenant_id, context_id, type_name, definition::text, schema_version, created_at, updated_at, version";

    /// <summary>The base schema of a type (no basedOn), or null.</summary>
    public async Task<(SchemaView View, long Version)?> LoadAsync(string tenantId, string contextId, string typeName)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND based_on IS NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = typeName });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
    }

    /// <summary>A variant of a type by its id, or null (also when the id names the base or another type).</summary>
    public async Task<(SchemaView View, long Version)?> LoadVariantAsync(string tenantId, string contextId, string typeName, Guid schemaId)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND schema_id = $3 AND type_name = $4 AND based_on IS NOT NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = schemaId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = typeName });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
    }

    /// <summary>Every variant of a type (a handful at most), for owner resolution and the per-owner create.</summary>
    public async Task<IReadOnlyList<SchemaView>> VariantsAsync(string tenantId, string contextId, string typeName)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND based_on IS NOT NULL ORDER BY schema_id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = typeName });
        return await ReadAllAsync(cmd);
    }

    /// <summary>Whether any variant still names <paramref name="baseId"/> (a base cannot be deleted while one does).</summary>
    public async Task<bool> HasVariantsAsync(string tenantId, string contextId, Guid baseId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND based_on = $3)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = baseId });
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// specificityRank of the namespaces visible in a context (its own and the tenant-wide ones, home <c>''</c>),
    /// which breaks ties between scope-owned variants.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> NamespaceRanksAsync(string tenantId, string contextId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT namespace, specificity_rank FROM namespaces WHERE tenant_id = $1 AND context_id IN ($2, '')");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ranks[reader.GetString(0)] = Math.Max(reader.GetInt32(1), ranks.GetValueOrDefault(reader.GetString(0), int.MinValue));
        }

        return ranks;
    }

    /// <summary>The grain name of a schema id: its type name for a base, <c>typeName~id</c> for a variant.</summary>
    public async Task<string?> FindGrainNameAsync(string tenantId, string contextId, Guid schemaId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT type_name, based_on IS NOT NULL FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND schema_id = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = schemaId });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return reader.GetBoolean(1) ? SchemaKeys.Variant(reader.GetString(0), schemaId) : reader.GetString(0);
    }

    public async Task<string?> FindTypeNameAsync(string tenantId, string contextId, Guid schemaId)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT type_name FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND schema_id = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = schemaId });
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>
    /// A page ordered by type name, then id (a type's base and its variants sit together). The owner filters and
    /// <paramref name="surface"/> match the stored definition.
    /// </summary>
    public async Task<IReadOnlyList<SchemaView>> ListAsync(
        string tenantId, string contextId, string? surface, Guid? userId, IReadOnlyList<string> scopes, (string TypeName, Guid Id)? after, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM schemas
            WHERE tenant_id = $1 AND context_id = $2
              AND ($4::text IS NULL OR definition -> 'allowedSurfaces' @> jsonb_build_array($4::text))
              AND ($5::text IS NULL OR definition ->> 'userId' = $5)
              AND (cardinality($6::text[]) = 0 OR coalesce(definition -> 'scopes', '[]') @> to_jsonb($6::text[]))
              AND ($7::text IS NULL OR (type_name, schema_id) > ($7, $3::uuid))
            ORDER BY type_name, schema_id LIMIT $8
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(Text(surface));
        cmd.Parameters.Add(Text(userId?.ToString("D")));
        cmd.Parameters.Add(TextArray(scopes));
        cmd.Parameters.Add(Text(after?.TypeName));
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        return await ReadAllAsync(cmd);
    }

    /// <summary>
    /// <c>surface=entity</c> (API-DELTA §5): the entity schemas of the caller's context merged with the tenant home
    /// (the <c>default</c> context), newest first, paged by (created_at, id) through one cursor.
    /// </summary>
    public async Task<IReadOnlyList<SchemaView>> ListEntitySchemasAsync(
        string tenantId, string contextId, Guid? userId, IReadOnlyList<string> scopes, (DateTimeOffset CreatedAt, Guid Id)? after, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM schemas
            WHERE tenant_id = $1 AND context_id = ANY($2::text[])
              AND definition -> 'allowedSurfaces' @> '["entity"]'
              AND ($3::text IS NULL OR definition ->> 'userId' = $3)
              AND (cardinality($4::text[]) = 0 OR coalesce(definition -> 'scopes', '[]') @> to_jsonb($4::text[]))
              AND ($5::timestamptz IS NULL OR (created_at, schema_id) < ($5, $6::uuid))
            ORDER BY created_at DESC, schema_id DESC LIMIT $7
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(TextArray(contextId == HomeContext ? [HomeContext] : [contextId, HomeContext]));
        cmd.Parameters.Add(Text(userId?.ToString("D")));
        cmd.Parameters.Add(TextArray(scopes));
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        return await ReadAllAsync(cmd);
    }

    /// <summary>The tenant home of entity schemas: a context named <c>default</c> writes there (API-DELTA §5).</summary>
    public const string HomeContext = "default";

    /// <summary>Every row of a query whose select list is <see cref="Columns"/>.</summary>
    private static async Task<List<SchemaView>> ReadAllAsync(NpgsqlCommand cmd)
    {
        var list = new List<SchemaView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>
    /// Whether records or documents written under this schema exist (delete is refused, some changes are locked): a
    /// variant's own items; for a base, the items of its type that name it (or no schema, rows older than schema ids).
    /// </summary>
    public async Task<bool> HasRecordsAsync(SchemaView schema)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT EXISTS (SELECT 1 FROM records r WHERE {RecordsOf}) OR EXISTS (SELECT 1 FROM documents r WHERE {RecordsOf})");
        AddRecordsOf(cmd.Parameters, schema);
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Whether entities are bound to this schema: deleting it would leave their payloads (and any ciphertext of its
    /// sensitive fields) without the schema that reads them. Entities of tenant-wide namespaces live in context ''.
    /// </summary>
    public async Task<bool> HasEntitiesAsync(SchemaView schema)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM entities WHERE tenant_id = $1 AND schema_id = $2)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema.TenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = schema.Id });
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    // The records (or, aliased r as well, documents) written under one schema ($1 tenant, $2 context, $3 schema id,
    // $4 type name, $5 is-base).
    private const string RecordsOf =
        "r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $4 AND (r.schema_id = $3 OR ($5 AND r.schema_id IS NULL))";

    private static void AddRecordsOf(NpgsqlParameterCollection parameters, SchemaView schema)
    {
        parameters.Add(new NpgsqlParameter { Value = schema.TenantId });
        parameters.Add(new NpgsqlParameter { Value = schema.ContextId });
        parameters.Add(new NpgsqlParameter { Value = schema.Id });
        parameters.Add(new NpgsqlParameter { Value = schema.TypeName });
        parameters.Add(new NpgsqlParameter { Value = schema.Definition.BasedOn is null });
    }

    /// <summary>
    /// Inserts a new schema and its CREATE history row. Null when the slot is already taken (another writer won): the
    /// type's base, or this owner's schema of the type.
    /// </summary>
    public async Task<(SchemaView View, long Version)?> InsertAsync(SchemaView view, VersionEntry history)
    {
        var insert = new NpgsqlBatchCommand(
            $"""
            INSERT INTO schemas (tenant_id, context_id, schema_id, type_name, definition, schema_version, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
            ON CONFLICT DO NOTHING
            RETURNING {Columns}
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = view.TenantId });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.ContextId });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.Id });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.TypeName });
        insert.Parameters.Add(new NpgsqlParameter { Value = SchemaJson.Serialize(view.Definition), NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.SchemaVersion });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.CreatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = view.UpdatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await WriteAsync(insert, history, extra: null);
    }

    /// <summary>
    /// Replaces the definition if the row is still at <paramref name="expectedVersion"/>, appends the UPDATE history
    /// row and deletes the index rows of removed lookups, all in one transaction. Null when another writer won.
    /// </summary>
    public async Task<(SchemaView View, long Version)?> UpdateAsync(
        SchemaView view, long expectedVersion, VersionEntry history, IReadOnlyList<string> removedLookups)
    {
        var update = new NpgsqlBatchCommand(
            $"""
            UPDATE schemas SET definition = $4::jsonb, schema_version = $5, updated_at = $6, version = version + 1
            WHERE tenant_id = $1 AND context_id = $2 AND schema_id = $3 AND version = $7
            RETURNING {Columns}
            """);
        update.Parameters.Add(new NpgsqlParameter { Value = view.TenantId });
        update.Parameters.Add(new NpgsqlParameter { Value = view.ContextId });
        update.Parameters.Add(new NpgsqlParameter { Value = view.Id });
        update.Parameters.Add(new NpgsqlParameter { Value = SchemaJson.Serialize(view.Definition), NpgsqlDbType = NpgsqlDbType.Text });
        update.Parameters.Add(new NpgsqlParameter { Value = view.SchemaVersion });
        update.Parameters.Add(new NpgsqlParameter { Value = view.UpdatedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        update.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });

        NpgsqlBatchCommand? purge = null;
        if (removedLookups.Count > 0)
        {
            // Lookup rows are keyed by type name, which a base shares with its variants: a variant purges its own records'
            // rows, a base every row of the field except those of records written under a variant.
            // Entities bound to this schema (by id, in whatever context they live) and documents bound to it (always by
            // id) lose the field's rows too.
            purge = new NpgsqlBatchCommand(
                $"""
                WITH entity_rows AS (
                    DELETE FROM entity_lookups el USING entities en
                    WHERE en.tenant_id = $1 AND en.schema_id = $3 AND el.tenant_id = en.tenant_id
                      AND el.context_id = en.context_id AND el.entity_id = en.entity_id AND el.field = ANY($6)),
                document_rows AS (
                    DELETE FROM document_lookups dl USING documents d
                    WHERE d.tenant_id = $1 AND d.context_id = $2 AND d.schema_id = $3 AND dl.tenant_id = d.tenant_id
                      AND dl.context_id = d.context_id AND dl.document_id = d.document_id AND dl.field = ANY($6))
                DELETE FROM record_lookups l
                WHERE l.tenant_id = $1 AND l.context_id = $2 AND l.type_name = $4 AND l.field = ANY($6)
                  AND CASE WHEN $5
                      THEN NOT EXISTS (SELECT 1 FROM records r WHERE r.tenant_id = $1 AND r.context_id = $2
                                       AND r.record_id = l.record_id AND r.schema_id IS NOT NULL AND r.schema_id <> $3)
                      ELSE EXISTS (SELECT 1 FROM records r WHERE r.tenant_id = $1 AND r.context_id = $2
                                   AND r.record_id = l.record_id AND r.schema_id = $3) END
                """);
            AddRecordsOf(purge.Parameters, view);
            purge.Parameters.Add(new NpgsqlParameter { Value = removedLookups.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        return await WriteAsync(update, history, purge);
    }

    /// <summary>
    /// Deletes the schema if it is still at <paramref name="expectedVersion"/>, no record written under it exists and
    /// no variant names it, with its DELETE history row. False when a condition failed (the caller re-reads to tell which).
    /// </summary>
    public async Task<bool> DeleteAsync(SchemaView view, long expectedVersion, VersionEntry history)
    {
        var delete = new NpgsqlBatchCommand(
            $"""
            DELETE FROM schemas
            WHERE tenant_id = $1 AND context_id = $2 AND schema_id = $3 AND version = $6
              AND NOT EXISTS (SELECT 1 FROM records r WHERE {RecordsOf})
              AND NOT EXISTS (SELECT 1 FROM documents r WHERE {RecordsOf})
              AND NOT EXISTS (SELECT 1 FROM schemas v WHERE v.tenant_id = $1 AND v.context_id = $2 AND v.based_on = $3)
            RETURNING {Columns}
            """);
        AddRecordsOf(delete.Parameters, view);
        delete.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        return await WriteAsync(delete, history, extra: null) is not null;
    }

    /// <summary>
    /// Runs the entity statement, then the history row (and any extra statement) in one transaction and one round
    /// trip. When the entity statement touched no row the transaction is rolled back, so no history row survives
    /// a write that did not happen.
    /// </summary>
    private async Task<(SchemaView View, long Version)?> WriteAsync(NpgsqlBatchCommand entity, VersionEntry history, NpgsqlBatchCommand? extra)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(entity);
        batch.BatchCommands.Add(VersionHistory.AppendCommand(history));
        if (extra is not null)
        {
            batch.BatchCommands.Add(extra);
        }

        (SchemaView, long)? row;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync();
            row = await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;

            // Drain the other statements so that a failure in any of them surfaces here, before the commit.
            while (await reader.NextResultAsync())
            {
            }
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            await tx.RollbackAsync();
            return null;
        }

        if (row is null)
        {
            await tx.RollbackAsync();
            return null;
        }

        await tx.CommitAsync();
        return row;
    }

    private static SchemaView Read(NpgsqlDataReader r) => new(
        Id: r.GetGuid(0),
        TenantId: r.GetString(1),
        ContextId: r.GetString(2),
        TypeName: r.GetString(3),
        Definition: SchemaJson.Deserialize(r.GetString(4)),
        SchemaVersion: r.GetInt32(5),
        CreatedAt: r.GetFieldValue<DateTimeOffset>(6),
        UpdatedAt: r.GetFieldValue<DateTimeOffset>(7));
}
