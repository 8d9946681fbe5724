using System.Text.Json;

namespace Vectros.Grains.Indexing;

/// <summary>
/// Reads an OpenAI embeddings answer (<c>{"data":[{"index":0,"embedding":[…]}, …]}</c>) into vectors in input order,
/// refusing anything that would put a wrong vector in the index: a missing or repeated index, a width other than
/// the index's, a zero vector. Vectors are re-normalised: not every compatible server normalises.
/// </summary>
internal static class OpenAiEmbeddingResponse
{
    public static float[][] Read(byte[] json, int expectedCount, int dimensions, Func<string, string> redact)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                throw Malformed("the answer has no \"data\" array");
            }

            var vectors = new float[expectedCount][];
            foreach (var item in data.EnumerateArray())
            {
                var index = item.GetProperty("index").GetInt32();
                if (index < 0 || index >= expectedCount || vectors[index] is not null)
                {
                    throw Malformed($"index {index} is out of range or repeated for a batch of {expectedCount}");
                }

                vectors[index] = Vector(item.GetProperty("embedding"), dimensions, index);
            }

            var missing = Array.FindIndex(vectors, v => v is null);
            return missing < 0 ? vectors : throw Malformed($"no embedding for input {missing} of {expectedCount}");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Malformed(redact(e.Message), e);
        }
    }

    private static float[] Vector(JsonElement embedding, int dimensions, int index)
    {
        var length = embedding.GetArrayLength();
        if (length != dimensions)
        {
            throw new EmbeddingException(
                $"The embedding service returned a {length}-dimensional vector for input {index}; the index stores {dimensions}-dimensional vectors (check Vectros:Embeddings:Model and Dimensions).",
                transient: false);
        }

        var vector = new float[length];
        var i = 0;
        foreach (var value in embedding.EnumerateArray())
        {
            vector[i++] = value.GetSingle();
        }

        var norm = MathF.Sqrt(vector.Sum(static v => v * v));
        if (!(norm > 0) || float.IsInfinity(norm))
        {
            throw Malformed($"input {index} has a zero or non-finite vector");
        }

        for (i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    private static EmbeddingException Malformed(string why, Exception? inner = null) =>
        new($"The embedding service returned an answer Vectros cannot use: {why}.", transient: false, inner);
}
