using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Indexing;
using Xunit;
using Xunit.Abstractions;
using static Vectros.Grains.Tests.Indexing.EmbeddingTestServices;

namespace Vectros.Grains.Tests.Indexing;

/// <summary>One MiniLM embedder for the class: the model takes about 2 s to load.</summary>
public sealed class MiniLmFixture : IDisposable
{
    private readonly ServiceProvider _services = Build(new Dictionary<string, string?>());

    public IEmbedder Embedder => _services.GetRequiredService<IEmbedder>();

    public void Dispose() => _services.Dispose();
}

/// <summary>The default embedder, all-MiniLM-L6-v2 in process (issue #8 item 4, DESIGN §1).</summary>
public sealed class MiniLmEmbedderTests(MiniLmFixture fixture, ITestOutputHelper output) : IClassFixture<MiniLmFixture>
{
    private static readonly string[] Sentences =
    [
        "reset my password",
        "recover account access",
        "The quarterly revenue report is due on Friday.",
        "Giraffes eat leaves from tall acacia trees.",
        "How do I change the billing address on my invoice?",
        "",
        "A much longer sentence about the migration of the customer database to the new cluster, with downtime planned for the weekend.",
    ];

    [Fact]
    public async Task It_is_the_default_and_gives_normalised_384_dimensional_vectors()
    {
        Assert.IsType<MiniLmEmbedder>(fixture.Embedder);
        Assert.Equal("all-MiniLM-L6-v2", fixture.Embedder.Model);

        var vectors = await fixture.Embedder.EmbedAsync(Sentences, CancellationToken.None);

        Assert.Equal(Sentences.Length, vectors.Count);
        Assert.All(vectors, v =>
        {
            Assert.Equal(384, v.Length);
            Assert.InRange(Norm(v), 0.999f, 1.001f);
        });
    }

    [Fact]
    public async Task A_paraphrase_is_closer_than_unrelated_text()
    {
        var v = await fixture.Embedder.EmbedAsync(
            ["reset my password", "recover account access", "Giraffes eat leaves from tall acacia trees.", "the weather in Paris is sunny today"],
            CancellationToken.None);

        var paraphrase = Cosine(v[0], v[1]);
        var unrelated = Math.Max(Cosine(v[0], v[2]), Cosine(v[0], v[3]));
        output.WriteLine($"paraphrase {paraphrase:F3}, unrelated {Cosine(v[0], v[2]):F3} / {Cosine(v[0], v[3]):F3}");

        Assert.True(paraphrase > 0.45f, $"paraphrase cosine {paraphrase}");
        Assert.True(unrelated < 0.15f, $"unrelated cosine {unrelated}");
        Assert.True(paraphrase > unrelated + 0.3f);
    }

    [Fact]
    public async Task A_batch_gives_the_same_vectors_as_one_text_at_a_time()
    {
        var batched = await fixture.Embedder.EmbedAsync(Sentences, CancellationToken.None);

        for (var i = 0; i < Sentences.Length; i++)
        {
            var single = Assert.Single(await fixture.Embedder.EmbedAsync([Sentences[i]], CancellationToken.None));
            Assert.Equal(single, batched[i], (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Fact]
    public async Task Concurrent_callers_get_the_vectors_they_would_get_alone()
    {
        var expected = await fixture.Embedder.EmbedAsync(Sentences, CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            // Rotate the input so concurrent batches differ in content and order.
            var rotated = Sentences.Skip(i % Sentences.Length).Concat(Sentences.Take(i % Sentences.Length)).ToArray();
            var vectors = await fixture.Embedder.EmbedAsync(rotated, CancellationToken.None);
            return (Offset: i % Sentences.Length, Vectors: vectors);
        })));

        foreach (var (offset, vectors) in results)
        {
            for (var j = 0; j < vectors.Count; j++)
            {
                Assert.Equal(expected[(j + offset) % Sentences.Length], vectors[j], (a, b) => Math.Abs(a - b) < 1e-5f);
            }
        }
    }

    [Fact]
    public async Task A_cancelled_call_throws_OperationCanceledException()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Embedder.EmbedAsync(Sentences, cancel.Token));
    }

    [Fact]
    public async Task Timings_single_and_batched_are_reported()
    {
        var texts = Enumerable.Range(0, 64)
            .Select(i => $"Sentence {i} is about invoices, customers and the quarterly report for region {i % 7}.")
            .ToArray();
        await fixture.Embedder.EmbedAsync(texts[..4], CancellationToken.None); // load and warm up

        var started = Stopwatch.GetTimestamp();
        foreach (var text in texts)
        {
            await fixture.Embedder.EmbedAsync([text], CancellationToken.None);
        }

        var single = Stopwatch.GetElapsedTime(started).TotalMilliseconds / texts.Length;
        started = Stopwatch.GetTimestamp();
        await fixture.Embedder.EmbedAsync(texts, CancellationToken.None);
        var batched = Stopwatch.GetElapsedTime(started).TotalMilliseconds / texts.Length;

        // Timings are noisy on shared machines (DESIGN §1): report them, and only check batching is not slower.
        output.WriteLine($"MiniLM: {single:F1} ms a sentence one at a time, {batched:F1} ms a sentence in batches of 32");
        Assert.True(batched < single * 1.5, $"batched {batched} ms vs single {single} ms");
    }
}
