using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>An embedder that can be made to fail, standing for an embedding service outage.</summary>
public sealed class SwitchableEmbedder : IEmbedder
{
    private readonly HashingEmbedder _inner = new();

    public volatile bool Failing;

    public string Model => _inner.Model;

    public int Dimensions => _inner.Dimensions;

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Failing ? throw new HttpRequestException("embedding service unavailable") : _inner.EmbedAsync(texts, cancellationToken);
}

/// <summary>A server of its own, whose embedder and text-search function the tests can break.</summary>
public sealed class SearchDegradedFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public SwitchableEmbedder Embedder { get; } = new();

    public VectrosTestServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("searchdegraded");
        // Its vector lane always takes the HNSW form of its statement (the shared server's contexts are all small enough
        // to be searched exactly).
        Server = await VectrosTestServer.StartAsync(
            _db.ConnectionString,
            new Dictionary<string, string?> { ["Vectros:Search:ExactSearchMaxChunks"] = "0" },
            s => s.AddSingleton<IEmbedder>(Embedder));
        var partner = await Server.CreatePartnerAsync("search-degraded");
        Client = Server.CreateClient(partner.TestKey.RawKey);
        await ChunkSeeder.SeedAsync(Server.Services.GetRequiredService<NpgsqlDataSource>(), Embedder, partner.TestTenantId,
        [
            new ChunkSeed("The otter swims in the cold river.") { ContextText = "otter" },
            new ChunkSeed("Beavers build dams across streams."),
        ]);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var cmd = Server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Spec SearchResponse.degraded / SearchRequest.requireComplete: a lane that fails leaves the survivor's results with
/// degraded=true and the failed leg named; requireComplete (or no lane left) answers 503 instead.
/// </summary>
public sealed class SearchDegradedTests(SearchDegradedFixture fixture) : IClassFixture<SearchDegradedFixture>
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> SearchAsync(object request)
    {
        var response = await fixture.Client.PostAsJsonAsync("/v1/search", request);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task The_index_form_of_the_vector_lane_answers()
    {
        var (status, body) = await SearchAsync(new { query = "otter river", mode = "SEMANTIC", filters = new { userId = new Dictionary<string, object> { ["$nin"] = new[] { Guid.NewGuid().ToString() } } } });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Contains("otter", body.GetProperty("results")[0].GetProperty("chunkText").GetString());
        Assert.False(body.GetProperty("degraded").GetBoolean());
    }

    [Fact]
    public async Task A_failing_embedder_degrades_hybrid_to_the_text_lane()
    {
        fixture.Embedder.Failing = true;
        try
        {
            var (status, body) = await SearchAsync(new { query = "otter river", textMode = "OR" });
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            Assert.True(body.GetProperty("degraded").GetBoolean());
            Assert.Equal(["vector"], body.GetProperty("degradedLegs").EnumerateArray().Select(l => l.GetString()));
            var result = body.GetProperty("results").EnumerateArray().Single();
            Assert.Contains("otter", result.GetProperty("chunkText").GetString());
            Assert.Equal(0, result.GetProperty("semanticScore").GetDouble());

            var (complete, error) = await SearchAsync(new { query = "otter river", requireComplete = true });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, complete);
            Assert.Contains("vector", error.GetProperty("message").GetString());

            // SEMANTIC has no lane left; TEXT never needed the embedder.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SearchAsync(new { query = "otter", mode = "SEMANTIC" })).Status);
            var (textStatus, text) = await SearchAsync(new { query = "otter", mode = "TEXT" });
            Assert.Equal(HttpStatusCode.OK, textStatus);
            Assert.False(text.GetProperty("degraded").GetBoolean());
        }
        finally
        {
            fixture.Embedder.Failing = false;
        }

        var (healthy, healed) = await SearchAsync(new { query = "otter river" });
        Assert.Equal(HttpStatusCode.OK, healthy);
        Assert.False(healed.GetProperty("degraded").GetBoolean());
        Assert.Empty(healed.GetProperty("degradedLegs").EnumerateArray());
    }

    [Fact]
    public async Task A_failing_text_lane_degrades_hybrid_to_the_vector_lane()
    {
        await fixture.ExecuteAsync("ALTER FUNCTION vectros_text_query(text, text, integer) RENAME TO vectros_text_query_away");
        try
        {
            var (status, body) = await SearchAsync(new { query = "otter river" });
            Assert.True(status == HttpStatusCode.OK, body.ToString());
            Assert.True(body.GetProperty("degraded").GetBoolean());
            Assert.Equal(["text"], body.GetProperty("degradedLegs").EnumerateArray().Select(l => l.GetString()));
            var results = body.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(2, results.Count);
            Assert.Contains("otter", results[0].GetProperty("chunkText").GetString());
            Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.GetProperty("snippet").GetString())));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SearchAsync(new { query = "otter river", requireComplete = true })).Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SearchAsync(new { query = "otter", mode = "TEXT" })).Status);
        }
        finally
        {
            await fixture.ExecuteAsync("ALTER FUNCTION vectros_text_query_away(text, text, integer) RENAME TO vectros_text_query");
        }
    }
}
