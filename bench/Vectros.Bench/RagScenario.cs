using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pgvector.Npgsql;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// Issue #10 item 8, RAG: one tenant with 100k chunks (the search scenario's corpus and cached MiniLM vectors, so the
/// two are comparable) and the local extractive answerer. Per query: the search-only latency of
/// <c>POST /v1/search</c> (HYBRID, limit 10) beside <c>POST /v1/rag</c>'s time to first event (the
/// <c>search_results</c> event: search, budget, reservation and the SSE start) and time to <c>done</c>, and the
/// events per second a stream delivers. Ratios are against the search-only run of the same process.
/// </summary>
public static class RagScenario
{
    private const int Queries = 200;

    public static async Task RunAsync(BenchOptions options)
    {
        var chunks = int.TryParse(Environment.GetEnvironmentVariable("VECTROS_BENCH_RAG_CHUNKS"), out var n) ? n : 100_000;
        await using var db = await TestDatabase.CreateAsync("benchrag");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Embeddings:Provider"] = "MiniLM",
            ["Vectros:RateLimit:PermitsPerMinute"] = "0",
            ["Vectros:Outbox:PollInterval"] = "00:00:01",
        });
        var partner = await server.CreatePartnerAsync("rag");
        var embedder = server.Services.GetRequiredService<IEmbedder>();
        var texts = SearchBenchCorpus.Texts(chunks, seed: 1);
        var vectors = await SearchBenchCorpus.EmbedAsync(embedder, texts, "big");
        var queries = SearchBenchCorpus.Queries(Queries, seed: 3);

        var builder = new NpgsqlDataSourceBuilder(db.ConnectionString);
        builder.UseVector();
        await using (var dataSource = builder.Build())
        {
            await BenchChunks.CopyAsync(dataSource, texts.Select((t, i) => new BenchChunk(partner.TestTenantId, t, vectors[i])));
        }

        using (var op = server.CreateClient(VectrosTestServer.OperatorToken))
        {
            (await op.PostAsJsonAsync("/developer/billing/top-ups", new { tenantId = partner.TestTenantId, amountCents = 1_000_000, reference = "bench" }))
                .EnsureSuccessStatusCode();
        }

        using var client = server.CreateClient(partner.TestKey.RawKey);
        var ops = Math.Min(options.Operations, 500);
        var search = await Measurement.BestOfAsync(3, "HTTP POST /v1/search HYBRID limit 10", ops, options.Concurrency, async i =>
        {
            using var response = await client.PostAsJsonAsync("/v1/search", new { query = queries[i % queries.Length], limit = 10 });
            response.EnsureSuccessStatusCode();
        });

        var firstEvent = new double[ops + Measurement.WarmUp];
        var eventsPerSecond = new double[ops + Measurement.WarmUp];
        var rag = await Measurement.RunAsync("HTTP POST /v1/rag to done", ops, options.Concurrency, async i =>
        {
            var started = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/rag") { Content = JsonContent.Create(new { query = queries[i % queries.Length] }) };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var firstAt = 0.0;
            var sse = await SseParser.ReadAsync(await response.Content.ReadAsStreamAsync(), p =>
            {
                if (p.Events.Count == 1)
                {
                    firstAt = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

                return false;
            });
            var total = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (sse.Events.Count == 0 || sse.Events[^1].Type != "done")
            {
                throw new BenchFailedException($"a RAG stream ended without done ({sse.Events.Count} events)");
            }

            firstEvent[i] = firstAt;
            eventsPerSecond[i] = sse.Events.Count / Math.Max(total - firstAt, 0.001) * 1000;
        });

        var ttfe = firstEvent.Take(ops).Order().ToArray();
        var rates = eventsPerSecond.Take(ops).Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rag: {chunks} chunks in the tenant, {ops} queries, concurrency {options.Concurrency}, model extractive (the default)"));
        Console.WriteLine(search.Row(search));
        Console.WriteLine(rag.Row(search));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  time to first event: p50 {ttfe[ops / 2]:F1} ms  p99 {ttfe[(int)(ops * 0.99)]:F1} ms  = x{ttfe[ops / 2] / search.P50Ms:F2} of search-only p50"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  time to done: p50 {rag.P50Ms:F1} ms = x{rag.P50Ms / search.P50Ms:F2} of search-only p50; events per second after the first: p50 {rates[ops / 2]:F0}"));
    }
}
