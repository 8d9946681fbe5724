namespace Vectros.Grains.Blobs;

/// <summary>
/// The fallback of <see cref="IBlobStore.OpenWriteAsync"/> for stores without a streamed write: collects the bytes
/// and puts them whole on dispose.
/// </summary>
internal sealed class BufferedBlobWriteStream(IBlobStore store, string tenantId, string contextId, string key) : MemoryStream
{
    private bool _stored;

    public override async ValueTask DisposeAsync()
    {
        if (!_stored)
        {
            _stored = true;
            await store.PutAsync(tenantId, contextId, key, GetBuffer().AsMemory(0, (int)Length), CancellationToken.None);
        }

        await base.DisposeAsync();
    }
}
