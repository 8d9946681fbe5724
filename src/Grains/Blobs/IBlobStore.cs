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
}
