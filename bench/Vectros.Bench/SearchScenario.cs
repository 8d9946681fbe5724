using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;
using Pgvector.Npgsql;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Indexing;
using Vectros.Grains.Search;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// Issue #8 item 8, search: ten tenants, 100k chunks in one of them (5k in each other), MiniLM vectors cached on
/// disk. Latency and throughput of <c>POST /v1/search</c> (HYBRID, limit 10) against the same work issued straight
/// through Npgsql in this process: the query embedded by the same embedder, the text and vector lane statements
/// (<see cref="LaneStatements"/>, the service's own SQL) run concurrently, then the page read
/// (<see cref="PageStatement"/>). Then recall@10 of the HNSW lane at the shipped settings against an exact scan
/// with the same tenant filter.
/// </summary>
public static class SearchScenario
{
    private const int Tenants = 10;
    private const int SmallTenantChunks = 5_000;
    private const int Queries = 200;
    private const int RecallQueries = 100;

    public static async Task RunAsync(BenchOptions options)
    {
        var bigTenantChunks = int.TryParse(Environment.GetEnvironmentVariable("VECTROS_BENCH_SEARCH_CHUNKS"), out var n) ? n : 100_000;
        await using var db = await TestDatabase.CreateAsync("benchsearch");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "MiniLM",
            ["Vectros:RateLimit:PermitsPerMinute"] = "0",
            ["Vectros:Outbox:PollInterval"] = "00:00:01",
        });
        var partners = new List<TestPartner>();
        for (var i = 0; i < Tenants; i++)
        {
            partners.Add(await server.CreatePartnerAsync($"search-{i}"));
        }

        var embedder = server.Services.GetRequiredService<IEmbedder>();
        var bigTexts = SearchBenchCorpus.Texts(bigTenantChunks, seed: 1);
        var smallTexts = SearchBenchCorpus.Texts(SmallTenantChunks * (Tenants - 1), seed: 2);
        var bigVectors = await SearchBenchCorpus.EmbedAsync(embedder, bigTexts, "big");
        var smallVectors = await SearchBenchCorpus.EmbedAsync(embedder, smallTexts, "small");
        var queries = SearchBenchCorpus.Queries(Queries, seed: 3);
        var queryVectors = await SearchBenchCorpus.EmbedAsync(embedder, queries, "queries");

        var builder = new NpgsqlDataSourceBuilder(db.ConnectionString);
        builder.UseVector();
        await using var dataSource = builder.Build();
        var started = DateTime.UtcNow;
        await SeedAsync(dataSource, partners, bigTexts, bigVectors, smallTexts, smallVectors);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"search: {bigTenantChunks + smallTexts.Length} chunks in {Tenants} tenants ({bigTenantChunks} in the measured one), seeded and indexed in {(DateTime.UtcNow - started).TotalSeconds:F0} s"));

        var big = partners[0];
        var settings = server.Services.GetRequiredService<IOptions<SearchOptions>>().Value;
        using var client = server.CreateClient(big.TestKey.RawKey);
        var ops = Math.Min(options.Operations, 1000);

        // Best of three runs each: on a shared 2-core machine interference only ever slows a run down.
        var baseline = await Measurement.BestOfAsync(3, "Npgsql: embed, text ∥ vector, page", ops, options.Concurrency, async i =>
            await BaselineAsync(dataSource, embedder, settings, big.TestTenantId, queries[i % queries.Length]));
        var api = await Measurement.BestOfAsync(3, "HTTP POST /v1/search HYBRID limit 10", ops, options.Concurrency, async i =>
        {
            using var response = await client.PostAsJsonAsync("/v1/search", new { query = queries[i % queries.Length], limit = 10 });
            response.EnsureSuccessStatusCode();
        });

        // TEXT mode needs no embedding: the same comparison without the model's CPU time in both.
        var textBaseline = await Measurement.BestOfAsync(3, "Npgsql: text lane, page", ops, options.Concurrency, async i =>
            await TextBaselineAsync(dataSource, big.TestTenantId, queries[i % queries.Length]));
        var textApi = await Measurement.BestOfAsync(3, "HTTP POST /v1/search TEXT limit 10", ops, options.Concurrency, async i =>
        {
            using var response = await client.PostAsJsonAsync("/v1/search", new { query = queries[i % queries.Length], mode = "TEXT", limit = 10 });
            response.EnsureSuccessStatusCode();
        });

        Console.WriteLine($"search: {ops} queries per run (best of 3), concurrency {options.Concurrency}, tenant with {bigTenantChunks} chunks");
        Console.WriteLine(" HYBRID (baseline = the same embedder and statements through Npgsql):");
        Console.WriteLine(baseline.Row(baseline));
        Console.WriteLine(api.Row(baseline));
        Console.WriteLine(Ratio(api, baseline));
        Console.WriteLine(" TEXT (baseline = the text lane and page statements through Npgsql):");
        Console.WriteLine(textBaseline.Row(textBaseline));
        Console.WriteLine(textApi.Row(textBaseline));
        Console.WriteLine(Ratio(textApi, textBaseline));

        Console.WriteLine("recall@10 of the HNSW lane against an exact scan with the same tenant filter (shipped settings):");
        var recallVectors = queryVectors.Take(RecallQueries).ToArray();
        var bigTruth = await TruthAsync(dataSource, big.TestTenantId, recallVectors);
        var smallTruth = await TruthAsync(dataSource, partners[1].TestTenantId, recallVectors);
        foreach (var (label, tenant, truth) in new[] { ("big tenant", big.TestTenantId, bigTruth), ("small tenant", partners[1].TestTenantId, smallTruth) })
        {
            foreach (var (mode, depth) in new[] { ("SEMANTIC limit 10", 11), ("HYBRID limit 10", Math.Max(11, settings.HybridCandidates)) })
            {
                var (byId, withTies, p50) = await RecallAsync(dataSource, settings, tenant, recallVectors, truth, depth);
                var how = await LargeAsync(dataSource, tenant, settings) ? $"HNSW, ef_search={EfSearch(settings, depth)}" : "exact scan: small context";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {label,-12} {mode,-18} (k={depth}, {how}): recall@10 {byId:F3} by id, {withTies:F3} with ties (target >= 0.95); lane p50 {p50:F1} ms"));
            }
        }

        if (options.Sweep)
        {
            Console.WriteLine("recall@10 through the HNSW index by hnsw.ef_search (k=11; the small tenant forced off its exact scan):");
            foreach (var (label, tenant, truth) in new[] { ("big tenant", big.TestTenantId, bigTruth), ("small tenant", partners[1].TestTenantId, smallTruth) })
            {
                foreach (var ef in new[] { 40, 100, 200, 300, 400, 600, 1000 })
                {
                    var swept = new SearchOptions { EfSearchMin = ef, EfSearchFactor = 1, MaxScanTuples = settings.MaxScanTuples, ExactSearchMaxChunks = 0 };
                    var (byId, withTies, p50) = await RecallAsync(dataSource, swept, tenant, recallVectors, truth, 11);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {label,-12} ef_search {ef,4}: recall@10 {byId:F3} by id, {withTies:F3} with ties; lane p50 {p50:F1} ms"));
                }
            }
        }
    }

    private static string Ratio(Measurement api, Measurement baseline) => string.Create(CultureInfo.InvariantCulture,
        $"  HTTP vs Npgsql: p50 x{api.P50Ms / baseline.P50Ms:F2}  p99 x{api.P99Ms / baseline.P99Ms:F2} (target <= 1.15)  QPS x{api.Throughput / baseline.Throughput:F2}");

    private static int EfSearch(SearchOptions settings, int candidates) =>
        Math.Clamp((int)Math.Ceiling(candidates * settings.EfSearchFactor), settings.EfSearchMin, 1000);

    /// <summary>What the service does for one HYBRID query, minus HTTP, Orleans and fusion: the same embedder and the same statements.</summary>
    private static async Task BaselineAsync(
        NpgsqlDataSource dataSource, IEmbedder embedder, SearchOptions settings, string tenantId, string text)
    {
        var vector = (await embedder.EmbedAsync([text], CancellationToken.None))[0];
        var query = new LaneQuery
        {
            Scope = new ChunkScope(),
            Depth = Math.Max(11, settings.HybridCandidates),
            Text = text,
            TextMode = TextMode.Phrase,
            Slop = SearchLimits.DefaultSlop,
            Vector = vector,
        };
        var textTask = ReadAsync(dataSource, [LaneStatements.Text(tenantId, "default", query)], 0);
        var vectorTask = ReadAsync(dataSource, LaneStatements.Vector(tenantId, "default", query, query.Depth, settings), 1);
        await textTask;
        var nearest = await vectorTask;
        await ReadAsync(dataSource, [PageStatement.Read(tenantId, "default", nearest.Take(10).ToList(), TextMode.Phrase, text, SearchLimits.DefaultSlop, vector)], 0);
    }

    private static async Task TextBaselineAsync(NpgsqlDataSource dataSource, string tenantId, string text)
    {
        var query = new LaneQuery { Scope = new ChunkScope(), Depth = 11, Text = text, TextMode = TextMode.Or };
        var hits = await ReadAsync(dataSource, [LaneStatements.Text(tenantId, "default", query)], 0);
        await ReadAsync(dataSource, [PageStatement.Read(tenantId, "default", hits.Take(10).ToList(), TextMode.Or, text, 0, null)], 0);
    }

    private static async Task<List<LaneHit>> ReadAsync(NpgsqlDataSource dataSource, IReadOnlyList<NpgsqlBatchCommand> commands, int resultIndex)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        var hits = new List<LaneHit>();
        await using var reader = await batch.ExecuteReaderAsync();
        for (var i = 0; i < resultIndex; i++)
        {
            await reader.NextResultAsync();
        }

        while (await reader.ReadAsync())
        {
            hits.Add(new LaneHit(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), 0));
        }

        return hits;
    }

    /// <summary>The vector lane's own choice (<see cref="LaneStatements.ContextLarger"/>): HNSW past the size limit, an exact scan below it.</summary>
    private static async Task<bool> LargeAsync(NpgsqlDataSource dataSource, string tenantId, SearchOptions settings)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LaneStatements.ContextLarger(tenantId, "default", settings.ExactSearchMaxChunks));
        return (bool)(await batch.ExecuteScalarAsync())!;
    }

    /// <summary>The exact 10 nearest chunks of each query (id, distance) in one tenant: an exact scan, computed once per tenant.</summary>
    private static async Task<List<(Guid Id, double Distance)>[]> TruthAsync(NpgsqlDataSource dataSource, string tenantId, float[][] vectors)
    {
        var truth = new List<(Guid, double)>[vectors.Length];
        for (var i = 0; i < vectors.Length; i++)
        {
            // OFFSET 0 keeps the subquery whole, so the ORDER BY cannot be served by the HNSW index: an exact scan.
            await using var exact = dataSource.CreateCommand(
                """
                SELECT source_id, distance FROM (
                    SELECT source_id, embedding <=> $2 AS distance FROM chunks
                    WHERE tenant_id = $1 AND context_id = 'default' AND embedding IS NOT NULL OFFSET 0) AS scanned
                ORDER BY distance LIMIT 10
                """);
            exact.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            exact.Parameters.Add(new NpgsqlParameter { Value = new Vector(vectors[i]) });
            truth[i] = [];
            await using var reader = await exact.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                truth[i].Add((reader.GetGuid(0), reader.GetDouble(1)));
            }
        }

        return truth;
    }

    /// <summary>
    /// The lane's top 10 (at <paramref name="settings"/>, <paramref name="depth"/> candidates) against the exact top 10:
    /// by id, and as ann-benchmarks counts it (a result within 1e-3 of the 10th true distance counts, so equally near
    /// neighbours are not misses), with the lane statement's median time.
    /// </summary>
    private static async Task<(double ById, double WithTies, double P50Ms)> RecallAsync(
        NpgsqlDataSource dataSource, SearchOptions settings, string tenantId, float[][] vectors, List<(Guid Id, double Distance)>[] truth, int depth)
    {
        var (byId, withTies) = (0d, 0d);
        var times = new List<double>();
        for (var i = 0; i < vectors.Length; i++)
        {
            var query = new LaneQuery { Scope = new ChunkScope(), Depth = depth, Vector = vectors[i] };
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await using var batch = dataSource.CreateBatch();
            foreach (var command in LaneStatements.Vector(tenantId, "default", query, depth, settings, exact: !await LargeAsync(dataSource, tenantId, settings)))
            {
                batch.BatchCommands.Add(command);
            }

            var approximate = new List<(Guid Id, double Distance)>();
            await using (var reader = await batch.ExecuteReaderAsync())
            {
                await reader.NextResultAsync();
                while (await reader.ReadAsync() && approximate.Count < 10)
                {
                    approximate.Add((reader.GetGuid(1), reader.GetDouble(3)));
                }
            }

            times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var exact = truth[i];
            if (exact.Count == 0)
            {
                (byId, withTies) = (byId + 1, withTies + 1);
                continue;
            }

            byId += approximate.Count(a => exact.Any(e => e.Id == a.Id)) / (double)exact.Count;
            withTies += approximate.Count(a => a.Distance <= exact[^1].Distance + 1e-3) / (double)exact.Count;
        }

        times.Sort();
        return (byId / vectors.Length, withTies / vectors.Length, times[times.Count / 2]);
    }

    private static Task SeedAsync(
        NpgsqlDataSource dataSource, List<TestPartner> partners, string[] bigTexts, float[][] bigVectors, string[] smallTexts, float[][] smallVectors) =>
        BenchChunks.CopyAsync(dataSource,
            bigTexts.Select((text, i) => new BenchChunk(partners[0].TestTenantId, text, bigVectors[i], i % 3 == 0 ? "record" : "document"))
                .Concat(smallTexts.Select((text, i) => new BenchChunk(
                    partners[1 + i / SmallTenantChunks].TestTenantId, text, smallVectors[i], (bigTexts.Length + i) % 3 == 0 ? "record" : "document"))));
}
