using System.Globalization;
using Vectros.TestSupport;
using Vectros.TestSupport.Relevance;

namespace Vectros.Bench;

/// <summary>
/// Issue #8 item 7: the relevance suite with the real all-MiniLM-L6-v2 embedder. Ingests the corpus through HTTP, waits
/// until it is INDEXED, then reports recall@10 and MRR@10 for TEXT, SEMANTIC and HYBRID. With <c>--sweep</c> it also
/// serves the same database with other RRF k and candidate depths (fresh servers over the indexed data) and reports
/// HYBRID for each, which is how the shipped defaults were chosen.
/// </summary>
public static class RelevanceScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        await using var db = await TestDatabase.CreateAsync("benchrelevance");
        var corpus = RelevanceCorpus.Load();
        string key;
        IReadOnlyDictionary<Guid, string> ids;
        await using (var server = await VectrosTestServer.StartAsync(db.ConnectionString, Settings()))
        {
            var partner = await server.CreatePartnerAsync("relevance");
            key = partner.TestKey.RawKey;
            using var client = server.CreateClient(key);
            var started = DateTime.UtcNow;
            ids = await RelevanceHarness.IngestAsync(client, corpus, TimeSpan.FromMinutes(30));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"relevance: {corpus.Items.Count} items ({corpus.Items.Count(i => i.Kind == "record")} records), {corpus.Queries.Count} judged queries; indexed in {(DateTime.UtcNow - started).TotalSeconds:F0} s"));
            var scores = await RelevanceHarness.EvaluateAsync(client, corpus, ids, RelevanceRun.Standard);
            Console.WriteLine(RelevanceHarness.Table(scores));
            Verdict(scores);
        }

        if (options.Sweep)
        {
            await SweepAsync(db, key, corpus, ids);
        }
    }

    /// <summary>HYBRID must beat the better single lane on MRR, or the report says by how much it did not.</summary>
    private static void Verdict(IReadOnlyList<RelevanceScore> scores)
    {
        var bestLane = scores.Where(s => !s.Run.StartsWith("HYBRID", StringComparison.Ordinal)).MaxBy(s => s.Mrr)!;
        foreach (var hybrid in scores.Where(s => s.Run.StartsWith("HYBRID", StringComparison.Ordinal)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {hybrid.Run}: MRR {hybrid.Mrr:F3} vs best single lane {bestLane.Run} {bestLane.Mrr:F3} -> x{hybrid.Mrr / bestLane.Mrr:F3} ({(hybrid.Mrr > bestLane.Mrr ? "beats it" : "does NOT beat it")})"));
        }
    }

    private static async Task SweepAsync(TestDatabase db, string key, RelevanceCorpus corpus, IReadOnlyDictionary<Guid, string> ids)
    {
        Console.WriteLine("sweep (HYBRID runs only; RRF k x candidates per lane):");
        var hybridRuns = RelevanceRun.Standard.Where(r => r.Mode == "HYBRID").ToList();
        foreach (var candidates in new[] { 20, 50, 100, 200 })
        {
            foreach (var k in new[] { 1, 5, 10, 20, 40, 60, 100 })
            {
                var settings = Settings();
                settings["Vectros:Search:RrfK"] = k.ToString(CultureInfo.InvariantCulture);
                settings["Vectros:Search:HybridCandidates"] = candidates.ToString(CultureInfo.InvariantCulture);
                await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, settings);
                using var client = server.CreateClient(key);
                foreach (var s in await RelevanceHarness.EvaluateAsync(client, corpus, ids, hybridRuns))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  k={k,3} candidates={candidates,3}  {s.Run,-34} recall@10 {s.RecallAt10:F3}  MRR@10 {s.Mrr:F3}"));
                }
            }
        }
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["Vectros:Embeddings:Provider"] = "MiniLM",
        ["Vectros:RateLimit:PermitsPerMinute"] = "0",
        ["Vectros:Outbox:PollInterval"] = "00:00:00.100",
    };
}
