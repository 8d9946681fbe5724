using Vectros.TestSupport;
using Vectros.TestSupport.Relevance;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The relevance suite's harness works end to end on a small slice of the corpus, with the real MiniLM embedder:
/// ingest through HTTP, wait for INDEXED, score every run. The figures themselves are the benchmark's
/// (<c>./vectros bench relevance</c>); this asserts only what must hold for any working search.
/// </summary>
public sealed class RelevanceHarnessTests
{
    [Fact]
    public async Task The_harness_ingests_a_slice_and_scores_every_run()
    {
        await using var db = await TestDatabase.CreateAsync("relevance");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "MiniLM",
            ["Vectros:RateLimit:PermitsPerMinute"] = "0",
        });
        var partner = await server.CreatePartnerAsync("relevance");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        var corpus = RelevanceCorpus.Load();
        // The first queries of two topics, with paraphrases among them, and two distractors per topic.
        var slice = corpus.Slice(queries: 10, distractorsPerTopic: 2);
        Assert.Contains(slice.Queries, q => q.Type == "paraphrase");

        var ids = await RelevanceHarness.IngestAsync(client, slice, TimeSpan.FromMinutes(5));
        Assert.Equal(slice.Items.Count, ids.Count);

        var scores = await RelevanceHarness.EvaluateAsync(client, slice, ids, RelevanceRun.Standard);
        Assert.Equal(RelevanceRun.Standard.Select(r => r.Name), scores.Select(s => s.Run));
        Assert.All(scores, s =>
        {
            Assert.Equal(slice.Queries.Count, s.Queries);
            Assert.InRange(s.RecallAt10, 0, 1);
            Assert.InRange(s.Mrr, 0, s.RecallAt10 + 1e-9);
        });

        // What holds on any corpus: keywords find their answer by keyword, a paraphrase never does, the model finds some.
        var text = scores.Single(s => s.Run.StartsWith("TEXT", StringComparison.Ordinal));
        Assert.Equal(0, text.ByType["paraphrase"].RecallAt10);
        Assert.Equal(1, text.ByType["keyword"].RecallAt10);
        Assert.True(scores.Single(s => s.Run == "SEMANTIC").ByType["paraphrase"].RecallAt10 > 0);

        var table = RelevanceHarness.Table(scores);
        Assert.All(RelevanceRun.Standard, r => Assert.Contains(r.Name, table));
    }
}
