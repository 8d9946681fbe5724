using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Blobs;

/// <summary>
/// The default <see cref="IBlobStore"/>: files in the <c>blobs</c> table (bytea), so a single PostgreSQL holds
/// everything and backups, teardown and tenant isolation cover files with no extra moving part.
/// </summary>
public sealed class PostgresBlobStore(NpgsqlDataSource dataSource) : IBlobStore
{
    public async Task PutAsync(string tenantId, string contextId, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO blobs (tenant_id, context_id, blob_key, content, size_bytes, sha256) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (tenant_id, context_id, blob_key)
            DO UPDATE SET content = EXCLUDED.content, size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, created_at = now()
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(key));
        cmd.Parameters.Add(Of(content, NpgsqlDbType.Bytea));
        cmd.Parameters.Add(Long(content.Length));
        cmd.Parameters.Add(Of(SHA256.HashData(content.Span), NpgsqlDbType.Bytea));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<byte[]?> GetAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand("SELECT content FROM blobs WHERE tenant_id = $1 AND context_id = $2 AND blob_key = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(key));
        return await cmd.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public Task DeleteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken) =>
        new PostgresBlobParts(dataSource, tenantId, contextId, key).DeleteAsync(cancellationToken);

    /// <summary>Replaces the key with a run of <c>blob_parts</c> rows written as the stream fills.</summary>
    public async Task<Stream> OpenWriteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken)
    {
        var parts = new PostgresBlobParts(dataSource, tenantId, contextId, key);
        await parts.DeleteAsync(cancellationToken);
        return new PostgresBlobWriteStream(parts);
    }

    /// <summary>A parted blob one part at a time; a whole-buffer blob (documents' files) from its one row.</summary>
    public async Task<Stream?> OpenReadAsync(string tenantId, string contextId, string key, long offset, CancellationToken cancellationToken)
    {
        var parts = new PostgresBlobParts(dataSource, tenantId, contextId, key);
        if (await parts.ExistAsync(cancellationToken))
        {
            return new PostgresBlobReadStream(parts, offset);
        }

        var bytes = await GetAsync(tenantId, contextId, key, cancellationToken);
        var start = (int)Math.Min(offset, bytes?.Length ?? 0);
        return bytes is null ? null : new MemoryStream(bytes, start, bytes.Length - start, writable: false);
    }
}
