namespace Vectros.Grains.Indexing;

/// <summary>
/// A fast, deterministic stand-in for tests that do not judge relevance (DESIGN §1): each lower-cased word is
/// hashed into one of the dimensions, and the vector is normalised. Texts that share words are close; paraphrases
/// are not. Selected with <c>Vectros:Embeddings:Provider = Hashing</c>.
/// </summary>
public sealed class HashingEmbedder : IEmbedder
{
    public string Model => "hashing-384";

    public int Dimensions => EmbeddingDimensions.Index;

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        for (var i = 0; i < texts.Count; i++)
        {
            vectors[i] = Embed(texts[i]);
        }

        return Task.FromResult<IReadOnlyList<float[]>>(vectors);
    }

    private float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var token = word.Trim('.', ',', ';', ':', '!', '?', '"', '\'', '(', ')', '[', ']');
            if (token.Length == 0)
            {
                continue;
            }

            var hash = Fnv1a(token);
            vector[hash % (uint)Dimensions] += (hash & 0x80000000) == 0 ? 1f : -1f;
        }

        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] /= norm;
            }
        }
        else
        {
            vector[0] = 1f; // pgvector refuses a zero vector under cosine distance
        }

        return vector;
    }

    private static uint Fnv1a(string token)
    {
        var hash = 2166136261u;
        foreach (var c in token)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
