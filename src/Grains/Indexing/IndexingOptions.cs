using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Indexing;

/// <summary>
/// Bound from <c>Vectros:Indexing</c>. Sizes count words, the tokenizer-free stand-in for tokens: all-MiniLM-L6-v2
/// reads at most 256 word pieces and English averages ~1.3 pieces a word, so a 180-word chunk is embedded whole.
/// </summary>
public sealed class IndexingOptions : IValidatableObject
{
    public const string Section = "Vectros:Indexing";

    /// <summary>Words per chunk (the text a vector stands for).</summary>
    [Range(16, 4096)]
    public int ChunkSize { get; set; } = 180;

    /// <summary>Words a chunk repeats from the end of the one before, so a sentence cut at a border is whole in one of them.</summary>
    [Range(0, 2048)]
    public int ChunkOverlap { get; set; } = 30;

    /// <summary>Upper bound, in words, of a chunk's <c>contextText</c>: the chunk and its neighbours, what RAG shows a model.</summary>
    [Range(16, 16_384)]
    public int ContextSize { get; set; } = 540;

    /// <summary>Texts per embedder call; the lease is renewed between calls.</summary>
    [Range(1, 1024)]
    public int EmbeddingBatchSize { get; set; } = 32;

    /// <summary>
    /// Outbox attempts before a source is marked FAILED. Earlier failures are treated as transient and retried
    /// through the outbox's back-off (2 s, 4 s, 8 s, …).
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ChunkOverlap >= ChunkSize)
        {
            yield return new ValidationResult("ChunkOverlap must be smaller than ChunkSize.", [nameof(ChunkOverlap)]);
        }

        if (ContextSize < ChunkSize)
        {
            yield return new ValidationResult("ContextSize must be at least ChunkSize.", [nameof(ContextSize)]);
        }
    }
}
