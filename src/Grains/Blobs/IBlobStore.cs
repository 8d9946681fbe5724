namespace Vectros.Grains.Blobs;

/// <summary>
/// Where uploaded files live. PostgreSQL (table <c>blobs</c>) by default; a local directory by configuration
/// (<c>Vectros:Blobs:Provider = Disk</c>, <c>Vectros:Blobs:Path</c>). Keys are chosen by the caller and are unique
/// within (tenant, context); a put under an existing key replaces its bytes.
/// </summary>
public interface IBlobStore
{
    Task PutAsync(string tenantId, string contextId, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>The bytes, or null when the key holds nothing.</summary>
    Task<byte[]?> GetAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken);

    Task DeleteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken);

    /// <summary>
    /// A stream that writes a blob incrementally (exports: payloads too large to hold in memory). The bytes become
    /// the key's content when the stream is disposed; a put under an existing key replaces it. A writer that dies
    /// before disposing may leave a partial blob, so callers that need all-or-nothing must record completion elsewhere
    /// (an export job is served only once its row says completed). The default buffers and calls <see cref="PutAsync"/>.
    /// </summary>
    Task<Stream> OpenWriteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new BufferedBlobWriteStream(this, tenantId, contextId, key));

    /// <summary>
    /// A stream over a blob's bytes from <paramref name="offset"/> on, read incrementally where the store can; null when
    /// the key holds nothing. The default reads the whole blob with <see cref="GetAsync"/>.
    /// </summary>
    async Task<Stream?> OpenReadAsync(string tenantId, string contextId, string key, long offset, CancellationToken cancellationToken)
    {
        var bytes = await GetAsync(tenantId, contextId, key, cancellationToken);
        return bytes is null ? null : new MemoryStream(bytes, (int)Math.Min(offset, bytes.Length), bytes.Length - (int)Math.Min(offset, bytes.Length), writable: false);
    }
}
