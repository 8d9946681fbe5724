using Npgsql;

namespace Vectros.Grains.Teardown;

/// <summary>Deletes a context's rows from one table that leads with (tenant_id, context_id), in batches.</summary>
internal sealed class TablePurger(NpgsqlDataSource dataSource, string table) : IContextDataPurger
{
    /// <summary>Every context-scoped data table, children before parents.</summary>
    public static readonly IReadOnlyList<string> ContextTables =
        [
            "chunks", "search_filter_fields", "events", "upload_tickets", "blob_parts", "blobs", "document_lookups", "document_tombstones", "documents",
            "record_lookups", "record_references", "record_tombstones", "records", "schemas", "folders",
            "entity_lookups", "entities", "namespaces", "access_profiles", "access_roles", "entity_versions", "entity_version_heads", "user_invites",
            "scoped_keys",
        ];

    private readonly string _sql =
        $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE tenant_id = $1 AND context_id = $2 LIMIT $3)";

    public string Name => table;

    public async Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(_sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = contextId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchSize });
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }
}
