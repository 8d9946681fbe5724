using Microsoft.Extensions.Options;
using Pgvector;

namespace Vectros.Grains.Indexing;

/// <summary>
/// Gives a source's chunks their vectors: reuses the ones its current chunk set already has for the same text,
/// embeds the rest in batches, and renews the outbox lease after each batch so a long document keeps its row.
/// </summary>
internal sealed class ChunkEmbedder(IEmbedder embedder, ChunkStore chunks, IOptions<IndexingOptions> options)
{
    public async Task<IReadOnlyList<EmbeddedChunk>> EmbedAsync(
        string tenantId, string contextId, ChunkSource source, IReadOnlyList<TextChunk> texts, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        if (!source.Embeds)
        {
            return texts.Select(t => new EmbeddedChunk(t, null)).ToList();
        }

        // A source at version 1 was never indexed before: nothing to reuse, so no query for it.
        var vectors = source.Version > 1
            ? await chunks.EmbeddingsAsync(tenantId, contextId, source.Kind, source.Id, cancellationToken)
            : new Dictionary<string, Vector>(StringComparer.Ordinal);
        var missing = texts.Select(t => t.ChunkText).Where(t => !vectors.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var batch in missing.Chunk(options.Value.EmbeddingBatchSize))
        {
            var embedded = await EmbedBatchAsync(batch, cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                vectors[batch[i]] = new Vector(embedded[i]);
            }

            await renewLease();
        }

        return texts.Select(t => new EmbeddedChunk(t, vectors[t.ChunkText])).ToList();
    }

    private async Task<IReadOnlyList<float[]>> EmbedBatchAsync(string[] batch, CancellationToken cancellationToken)
    {
        IReadOnlyList<float[]> embedded;
        try
        {
            embedded = await embedder.EmbedAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: a backend's message may quote the input. An embedder that knows the
            // failure will repeat (a 4xx, a wrong width) ends the run now instead of after every retry.
            throw new IndexingException(
                IndexFailure.EmbeddingFailed, $"The embedding model '{embedder.Model}' failed ({ex.GetType().Name}).", ex,
                permanent: ex is EmbeddingException { Transient: false });
        }

        if (embedded.Count != batch.Length || embedded.Any(v => v.Length != EmbeddingDimensions.Index))
        {
            throw new IndexingException(IndexFailure.EmbeddingFailed,
                $"The embedding model '{embedder.Model}' returned {embedded.Count} vectors for {batch.Length} texts, or vectors that are not {EmbeddingDimensions.Index}-dimensional.",
                permanent: true);
        }

        return embedded;
    }
}
