using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Indexing;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;
using SearchMode = Vectros.V1.SearchMode;
using SearchQuery = Vectros.Grains.Abstractions.Search.SearchQuery;
using V1 = Vectros.V1;

namespace Vectros.Api.Tests.Grpc;

/// <summary>Streamed search over gRPC (issue #12 items 1, 4, 5): the same grain, reader and rules as <c>POST /v1/search</c>.</summary>
public sealed class GrpcSearchTests : GrpcTestBase
{
    private V1.Search.SearchClient SearchClient => new(Channel);

    private Task SeedAsync(params ChunkSeed[] seeds) =>
        ChunkSeeder.SeedAsync(Db, Server.Services.GetRequiredService<IEmbedder>(), Partner.TestTenantId, seeds);

    private static async Task<List<SearchEvent>> ReadAllAsync(AsyncServerStreamingCall<SearchEvent> call)
    {
        using (call)
        {
            var events = new List<SearchEvent>();
            await foreach (var e in call.ResponseStream.ReadAllAsync())
            {
                events.Add(e);
            }

            return events;
        }
    }

    private async Task<JsonElement> HttpSearchAsync(object body)
    {
        var response = await Client.PostAsJsonAsync("/v1/search", body);
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Streamed_hits_match_http_search_in_order_then_one_summary()
    {
        await SeedAsync(
            new ChunkSeed("The harbour master logs every ship in the harbour.") { ExternalId = "log-1", Metadata = new { port = "north" } },
            new ChunkSeed("A ship left the harbour at dawn."),
            new ChunkSeed("Harbour fees rise for large ships.") { SourceKind = "record", TypeName = "note" },
            new ChunkSeed("Gardening notes about tomatoes."));

        foreach (var (mode, wire) in new[] { (SearchMode.Text, "TEXT"), (SearchMode.Hybrid, "HYBRID"), (SearchMode.Semantic, "SEMANTIC") })
        {
            var http = await HttpSearchAsync(new { query = "harbour ship", mode = wire, textMode = "OR", limit = 2 });
            var events = await ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "harbour ship", Mode = mode, TextMode = V1.TextMode.Or, Limit = 2 }));

            var hits = events.SkipLast(1).Select(e => e.Hit).ToList();
            Assert.All(events.SkipLast(1), e => Assert.Equal(SearchEvent.EventOneofCase.Hit, e.EventCase));
            var results = http.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(results.Select(r => r.GetProperty("documentId").GetString()), hits.Select(h => h.DocumentId));
            for (var i = 0; i < hits.Count; i++)
            {
                Assert.Equal(results[i].GetProperty("score").GetDouble(), hits[i].Score, 6);
                Assert.Equal(results[i].GetProperty("snippet").GetString(), hits[i].Snippet);
                Assert.Equal(results[i].GetProperty("chunkText").GetString(), hits[i].ChunkText);
                Assert.Equal(results[i].GetProperty("sourceType").GetString(), hits[i].SourceType == SourceType.GenericRecord ? "GenericRecord" : "PartnerDocument");
                var externalId = results[i].GetProperty("externalId");
                Assert.Equal(externalId.ValueKind == JsonValueKind.Null ? null : externalId.GetString(), hits[i].HasExternalId ? hits[i].ExternalId : null);
            }

            var summary = Assert.IsType<SearchSummary>(events[^1].Summary);
            Assert.Equal(http.GetProperty("totalResults").GetInt32(), summary.TotalResults);
            Assert.Equal(http.GetProperty("hasMore").GetBoolean(), summary.HasMore);
            Assert.False(summary.Degraded);
            Assert.Empty(summary.DegradedLegs);
        }

        // The metadata and external id travel typed.
        var tagged = (await ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "harbour master", Mode = SearchMode.Text })))
            .Where(e => e.EventCase == SearchEvent.EventOneofCase.Hit).Select(e => e.Hit).Single(h => h.HasExternalId);
        Assert.Equal("log-1", tagged.ExternalId);
        Assert.Equal("north", tagged.Metadata.Fields["port"].StringValue);
        Assert.NotNull(tagged.CreatedAt);
    }

    [Fact]
    public async Task Validation_is_invalid_argument_naming_the_field()
    {
        var empty = await FailsAsync(() => ReadAllAsync(SearchClient.Search(new SearchRequest { Query = " " })));
        Assert.Equal(StatusCode.InvalidArgument, empty.Code);
        Assert.Equal("query", empty.Field);

        var limit = await FailsAsync(() => ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "x", Limit = 0 })));
        Assert.Equal(StatusCode.InvalidArgument, limit.Code);
        Assert.Equal("limit", limit.Field);

        var similarity = await FailsAsync(() => ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "x", MinSimilarity = 2 })));
        Assert.Equal(StatusCode.InvalidArgument, similarity.Code);
        Assert.Equal("min_similarity", similarity.Field);

        var folder = await FailsAsync(() => ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "x", FolderId = "nope" })));
        Assert.Equal("folder_id", folder.Field);

        var type = await FailsAsync(() => ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "x", ContentTypes = { (ContentType)7 } })));
        Assert.Equal(StatusCode.InvalidArgument, type.Code);
        Assert.Equal("content_types", type.Field);
    }

    [Fact]
    public async Task Without_search_scope_the_call_is_permission_denied()
    {
        using var channel = Server.CreateGrpcChannel(await ScopedCredentials.MintAsync(Client, ["documents:r"]));
        var denied = await FailsAsync(() => ReadAllAsync(new V1.Search.SearchClient(channel).Search(new SearchRequest { Query = "harbour" })));
        Assert.Equal(StatusCode.PermissionDenied, denied.Code);
    }

    [Fact]
    public async Task Another_tenants_identical_content_never_appears()
    {
        const string text = "Confidential merger memo about the walrus acquisition.";
        var other = await Server.CreatePartnerAsync("grpc-search-other");
        var mine = new ChunkSeed(text);
        var theirs = new ChunkSeed(text) { TenantId = other.TestTenantId };
        await SeedAsync(mine, theirs);

        foreach (var mode in new[] { SearchMode.Text, SearchMode.Semantic, SearchMode.Hybrid })
        {
            var hits = (await ReadAllAsync(SearchClient.Search(new SearchRequest { Query = "walrus merger memo", Mode = mode, Limit = 100 })))
                .Where(e => e.EventCase == SearchEvent.EventOneofCase.Hit).Select(e => e.Hit.DocumentId);
            Assert.Equal([mine.SourceId.ToString()], hits);
        }

        using var channel = Server.CreateGrpcChannel(other.TestKey.RawKey);
        var theirHits = (await ReadAllAsync(new V1.Search.SearchClient(channel).Search(new SearchRequest { Query = "walrus", Mode = SearchMode.Text })))
            .Where(e => e.EventCase == SearchEvent.EventOneofCase.Hit).Select(e => e.Hit.DocumentId);
        Assert.Equal([theirs.SourceId.ToString()], theirHits);
    }

    [Fact]
    public async Task A_passed_deadline_ends_the_call_deadline_exceeded()
    {
        await SeedAsync(new ChunkSeed("deadline test text"));
        var expired = await FailsAsync(() => ReadAllAsync(SearchClient.Search(
            new SearchRequest { Query = "deadline" }, deadline: DateTime.UtcNow.AddMilliseconds(-1))));
        Assert.Equal(StatusCode.DeadlineExceeded, expired.Code);

        // A search grain call whose token is cancelled ends cancelled: never an answer, and never a lane counted as degraded.
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(Partner.TestTenantId, "default", "sk_test_root", IsRoot: true, []);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            grains.GetGrain<ISearchGrain>(caller.ContextKey).SearchAsync(caller, new SearchQuery { Query = "deadline" }, cancelled.Token));
    }
}
