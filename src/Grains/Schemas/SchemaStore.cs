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

    public async Task<(SchemaView View, long Version)?> LoadAsync(string tenantId, string contextId, string typeName)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM schemas WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = typeName });
        await using var reader = await cmd.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (Read(reader), reader.GetInt64(8)) : null;
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
    /// A page ordered by type name. <paramref name="recordType"/> narrows to one type; the owner filters and
    /// <paramref name="surface"/> match the stored definition.
    /// </summary>
    public async Task<IReadOnlyList<SchemaView>> ListAsync(
        string tenantId, string contextId, string? recordType, string? surface, Guid? userId, IReadOnlyList<string> scopes, string? afterTypeName, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM schemas
            WHERE tenant_id = $1 AND context_id = $2
              AND ($3::text IS NULL OR type_name = $3)
              AND ($4::text IS NULL OR definition -> 'allowedSurfaces' @> jsonb_build_array($4::text))
              AND ($5::text IS NULL OR definition ->> 'userId' = $5)
              AND (cardinality($6::text[]) = 0 OR coalesce(definition -> 'scopes', '[]') @> to_jsonb($6::text[]))
              AND ($7::text IS NULL OR type_name > $7)
            ORDER BY type_name LIMIT $8
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(Text(recordType));
        cmd.Parameters.Add(Text(surface));
        cmd.Parameters.Add(Text(userId?.ToString("D")));
        cmd.Parameters.Add(TextArray(scopes));
        cmd.Parameters.Add(Text(afterTypeName));
        cmd.Parameters.Add(new NpgsqlParameter { Value = take });
        var list = new List<SchemaView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Whether records of the type exist (delete is refused, some changes are locked).</summary>
    public async Task<bool> HasRecordsAsync(string tenantId, string contextId, string typeName)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM records WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = typeName });
        return (bool)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Inserts a new schema and its CREATE history row. Null when the type name is already taken (another writer won).</summary>
    public async Task<(SchemaView View, long Version)?> InsertAsync(SchemaView view, VersionEntry history)
    {
        var insert = new NpgsqlBatchCommand(
            $"""
            INSERT INTO schemas (tenant_id, context_id, schema_id, type_name, definition, schema_version, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8)
            ON CONFLICT (tenant_id, context_id, type_name) DO NOTHING
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
            purge = new NpgsqlBatchCommand(
                "DELETE FROM record_lookups WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND field = ANY($4)");
            purge.Parameters.Add(new NpgsqlParameter { Value = view.TenantId });
            purge.Parameters.Add(new NpgsqlParameter { Value = view.ContextId });
            purge.Parameters.Add(new NpgsqlParameter { Value = view.TypeName });
            purge.Parameters.Add(new NpgsqlParameter { Value = removedLookups.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        }

        return await WriteAsync(update, history, purge);
    }

    /// <summary>
    /// Deletes the schema if it is still at <paramref name="expectedVersion"/> and no record of its type exists,
    /// with its DELETE history row. False when either condition failed (the caller re-reads to tell which).
    /// </summary>
    public async Task<bool> DeleteAsync(SchemaView view, long expectedVersion, VersionEntry history)
    {
        var delete = new NpgsqlBatchCommand(
            $"""
            DELETE FROM schemas
            WHERE tenant_id = $1 AND context_id = $2 AND schema_id = $3 AND version = $4
              AND NOT EXISTS (SELECT 1 FROM records r WHERE r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $5)
            RETURNING {Columns}
            """);
        delete.Parameters.Add(new NpgsqlParameter { Value = view.TenantId });
        delete.Parameters.Add(new NpgsqlParameter { Value = view.ContextId });
        delete.Parameters.Add(new NpgsqlParameter { Value = view.Id });
        delete.Parameters.Add(new NpgsqlParameter { Value = expectedVersion });
        delete.Parameters.Add(new NpgsqlParameter { Value = view.TypeName });
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
