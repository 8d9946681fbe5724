namespace Vectros.Grains.Indexing;

/// <summary>
/// Turns texts into vectors for the semantic lane. One instance serves the whole silo, so implementations are
/// thread-safe. The chunks table stores <see cref="EmbeddingDimensions.Index"/> dimensions: an embedder whose
/// vectors differ is refused at start-up rather than at the first write.
/// </summary>
public interface IEmbedder
{
    /// <summary>A stable name (reported by /v1/models and in logs), e.g. <c>all-MiniLM-L6-v2</c>.</summary>
    string Model { get; }

    int Dimensions { get; }

    /// <summary>One L2-normalised vector per text, in order. Batches internally as the backend prefers.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}

/// <summary>The width of <c>chunks.embedding</c> (migration 0006).</summary>
public static class EmbeddingDimensions
{
    public const int Index = 384;
}
