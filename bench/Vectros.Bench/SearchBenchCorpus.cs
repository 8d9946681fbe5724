using System.Globalization;
using System.Text.RegularExpressions;
using Vectros.Grains.Indexing;
using Vectros.TestSupport.Relevance;

namespace Vectros.Bench;

/// <summary>
/// Texts and queries for the search benchmark, generated deterministically from the relevance corpus's sentences:
/// each chunk is two or three of its sentences with a quarter of the words swapped for other corpus words and a
/// reference number, so chunks cluster by topic like real content yet rarely repeat. Their MiniLM vectors take
/// minutes to compute on two cores, so they are cached on disk (<c>.data/bench-cache</c>, or
/// <c>VECTROS_BENCH_CACHE</c>) and reused while the generator and the model stay the same.
/// </summary>
internal static partial class SearchBenchCorpus
{
    private const int Version = 1;

    public static string[] Texts(int count, int seed)
    {
        var (sentences, vocabulary) = Material();
        var random = new Random(seed);
        var texts = new string[count];
        for (var i = 0; i < count; i++)
        {
            var parts = Enumerable.Range(0, random.Next(2, 4)).Select(_ => Vary(sentences[random.Next(sentences.Length)], vocabulary, random));
            texts[i] = string.Join(' ', parts) + string.Create(CultureInfo.InvariantCulture, $" Reference {random.Next(100_000, 999_999)}.");
        }

        return texts;
    }

    /// <summary>Two to five consecutive words of a corpus sentence: keyword queries of the kind people type.</summary>
    public static string[] Queries(int count, int seed)
    {
        var (sentences, _) = Material();
        var random = new Random(seed);
        var queries = new string[count];
        for (var i = 0; i < count; i++)
        {
            var words = Word().Matches(sentences[random.Next(sentences.Length)]).Select(m => m.Value).ToArray();
            var length = Math.Min(words.Length, random.Next(2, 6));
            var start = random.Next(words.Length - length + 1);
            queries[i] = string.Join(' ', words[start..(start + length)]);
        }

        return queries;
    }

    /// <summary>The vectors of <paramref name="texts"/>, from the cache when it holds this exact set, else computed and cached.</summary>
    public static async Task<float[][]> EmbedAsync(IEmbedder embedder, string[] texts, string name)
    {
        var root = Environment.GetEnvironmentVariable("VECTROS_BENCH_CACHE") ?? Path.Combine(Directory.GetCurrentDirectory(), ".data", "bench-cache");
        Directory.CreateDirectory(root);
        var file = Path.Combine(root, $"search-v{Version}-{name}-{texts.Length}-{embedder.Model}.f32");
        if (File.Exists(file))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            if (bytes.Length == texts.Length * embedder.Dimensions * sizeof(float))
            {
                var all = new float[texts.Length * embedder.Dimensions];
                Buffer.BlockCopy(bytes, 0, all, 0, bytes.Length);
                return [.. Enumerable.Range(0, texts.Length).Select(i => all.AsSpan(i * embedder.Dimensions, embedder.Dimensions).ToArray())];
            }
        }

        var vectors = new float[texts.Length][];
        var started = DateTime.UtcNow;
        for (var i = 0; i < texts.Length; i += 512)
        {
            var batch = texts[i..Math.Min(texts.Length, i + 512)];
            var embedded = await embedder.EmbedAsync(batch, CancellationToken.None);
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[i + j] = embedded[j];
            }

            if (i % 10_240 == 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"search: embedded {i + batch.Length}/{texts.Length} {name} texts ({(DateTime.UtcNow - started).TotalSeconds:F0} s)"));
            }
        }

        var flat = new byte[texts.Length * embedder.Dimensions * sizeof(float)];
        for (var i = 0; i < vectors.Length; i++)
        {
            Buffer.BlockCopy(vectors[i], 0, flat, i * embedder.Dimensions * sizeof(float), embedder.Dimensions * sizeof(float));
        }

        await File.WriteAllBytesAsync(file, flat);
        return vectors;
    }

    private static string Vary(string sentence, string[] vocabulary, Random random) =>
        Word().Replace(sentence, m => m.Value.Length > 3 && random.NextDouble() < 0.25 ? vocabulary[random.Next(vocabulary.Length)] : m.Value);

    private static (string[] Sentences, string[] Vocabulary) Material()
    {
        var corpus = RelevanceCorpus.Load();
        var sentences = corpus.Items.SelectMany(i => Sentence().Split(i.Text)).Select(s => s.Trim()).Where(s => s.Length > 20).Distinct(StringComparer.Ordinal).ToArray();
        var vocabulary = sentences.SelectMany(s => Word().Matches(s).Select(m => m.Value.ToLowerInvariant()))
            .Where(w => w.Length > 3).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return (sentences, vocabulary);
    }

    [GeneratedRegex(@"(?<=[.;:!?])\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Sentence();

    [GeneratedRegex(@"[A-Za-z][A-Za-z'-]*", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
