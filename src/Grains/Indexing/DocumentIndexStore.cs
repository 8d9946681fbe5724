using Npgsql;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Indexing;

/// <summary>The columns of a <c>documents</c> row the indexing pipeline reads.</summary>
internal sealed record DocumentIndexRow
{
    public required Guid Id { get; init; }

    public required string Title { get; init; }

    public string? TypeName { get; init; }

    public Guid? SchemaId { get; init; }

    public required string Payload { get; init; }

    /// <summary>ACTIVE or ARCHIVED (the 0.40 lifecycle).</summary>
    public required string Status { get; init; }

    public required string IndexMode { get; init; }

    public required string IndexStatus { get; init; }

    public Guid? FolderId { get; init; }

    public Guid? UserId { get; init; }

    public required IReadOnlyList<string> Scopes { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>TEXT (inline) or FILE (uploaded).</summary>
    public required string Source { get; init; }

    public string? Body { get; init; }

    public string? FileName { get; init; }

    public string? FileType { get; init; }

    public string? BlobKey { get; init; }

    public required long ContentVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required long Version { get; init; }

    public long? IndexedVersion { get; init; }
}

/// <summary>
/// The pipeline's reads and processing-state writes of <c>documents</c> (the document grain owns every other write).
/// Each write is guarded by the version and content version read, and by the state it expects, so it lands only on
/// the document as the run saw it; it never bumps the version.
/// </summary>
internal sealed class DocumentIndexStore(NpgsqlDataSource dataSource)
{
    /// <summary>The final write of a run, the first statement of <see cref="ChunkStore.ReplaceAsync"/>'s transaction.</summary>
    public const string FinishSql =
        $"""
        WITH u AS (
            UPDATE documents SET index_status = $4, index_failure = $5::jsonb, indexed_version = version,
                body = CASE WHEN store_text OR source = 'TEXT' THEN body END
            WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3 AND version = $6 AND content_version = $7
              AND indexed_version IS DISTINCT FROM version
            RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{ChunkStore.StaleState}', 'version')
        """;

    public async Task<DocumentIndexRow?> LoadAsync(string tenantId, string contextId, Guid documentId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT title, type_name, schema_id, payload::text, status, index_mode, index_status, folder_id, user_id, scopes, external_id,
                   source, body, file_name, file_type, blob_key, content_version, created_at, version, indexed_version
            FROM documents WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3
            """);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(contextId), Uuid(documentId)});
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await r.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new DocumentIndexRow
        {
            Id = documentId,
            Title = r.GetString(0),
            TypeName = r.IsDBNull(1) ? null : r.GetString(1),
            SchemaId = r.IsDBNull(2) ? null : r.GetGuid(2),
            Payload = r.GetString(3),
            Status = r.GetString(4),
            IndexMode = r.GetString(5),
            IndexStatus = r.GetString(6),
            FolderId = r.IsDBNull(7) ? null : r.GetGuid(7),
            UserId = r.IsDBNull(8) ? null : r.GetGuid(8),
            Scopes = r.GetFieldValue<string[]>(9),
            ExternalId = r.IsDBNull(10) ? null : r.GetString(10),
            Source = r.GetString(11),
            Body = r.IsDBNull(12) ? null : r.GetString(12),
            FileName = r.IsDBNull(13) ? null : r.GetString(13),
            FileType = r.IsDBNull(14) ? null : r.GetString(14),
            BlobKey = r.IsDBNull(15) ? null : r.GetString(15),
            ContentVersion = r.GetInt64(16),
            CreatedAt = r.GetFieldValue<DateTimeOffset>(17),
            Version = r.GetInt64(18),
            IndexedVersion = r.IsDBNull(19) ? null : r.GetInt64(19),
        };
    }

    /// <summary>UPLOADED → EXTRACTING; false when the document moved on (or another run got there first).</summary>
    public Task<bool> StartExtractingAsync(string tenantId, string contextId, DocumentIndexRow row, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE documents SET index_status = 'EXTRACTING'
            WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3 AND version = $4 AND content_version = $5 AND index_status = 'UPLOADED'
            """,
            cancellationToken, Text(tenantId), Text(contextId), Uuid(row.Id), Long(row.Version), Long(row.ContentVersion));

    /// <summary>EXTRACTING → PENDING_INDEX with the extracted text (kept until indexing ends, even when storeText is false).</summary>
    public Task<bool> StoreTextAsync(string tenantId, string contextId, DocumentIndexRow row, string text, long textBytes, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE documents SET body = $6, text_bytes = $7, index_status = 'PENDING_INDEX', index_failure = NULL
            WHERE tenant_id = $1 AND context_id = $2 AND document_id = $3 AND version = $4 AND content_version = $5 AND index_status = 'EXTRACTING'
            """,
            cancellationToken, Text(tenantId), Text(contextId), Uuid(row.Id), Long(row.Version), Long(row.ContentVersion), Text(text), Long(textBytes));

    private async Task<bool> ExecuteAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddRange(parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
