using Microsoft.Extensions.Options;
using Vectros.Grains.Teardown;

namespace Vectros.Grains.Blobs;

/// <summary>
/// Teardown of a context's files in the disk store: the <c>blobs</c> table has its own table purger, but files on disk
/// are not rows, so deleting a context must delete its directory too. Does nothing when the store is PostgreSQL.
/// </summary>
internal sealed class DiskBlobPurger(IOptions<BlobOptions> options, IBlobStore store) : IContextDataPurger
{
    public string Name => "disk blobs";

    public Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken) =>
        Task.FromResult(options.Value.IsDisk && store is DiskBlobStore disk ? disk.PurgeContext(tenantId, contextId, batchSize) : 0);
}
