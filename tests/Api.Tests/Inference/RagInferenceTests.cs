using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary><c>POST /v1/rag</c>: search results first, a truncation warning when the budget cuts, cited answers.</summary>
[Collection(InferenceCollection.Name)]
public sealed partial class RagInferenceTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    [Fact]
    public async Task Rag_streams_search_results_then_an_answer_citing_a_real_result()
    {
        await TopUpAsync(100);
        var id = await IndexedDocumentAsync("Returns", "Our returns policy: items may be returned within thirty days with a receipt.");
        await IndexedDocumentAsync("Garden", "Tomatoes need full sun and regular watering.");

        var result = await StreamAsync("/v1/rag", new { query = "returns policy receipt", search = new { mode = "TEXT", limit = 5 } });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("search_results", result.Types[0]);
        Assert.DoesNotContain("truncation_warning", result.Types);
        Assert.Equal("done", result.Types[^1]);
        Assert.All(result.Types.Skip(1).SkipLast(1), t => Assert.Equal("content_delta", t));

        var search = Json(result.Sse!.Events[0]);
        var ids = search.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()).ToHashSet();
        Assert.Contains(id, ids);
        Assert.True(search.GetProperty("totalResults").GetInt32() >= 1);
        Assert.False(search.GetProperty("degraded").GetBoolean());
        var first = search.GetProperty("results")[0];
        Assert.Contains("thirty days", first.GetProperty("contextText").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("externalId").ValueKind);

        var citations = Citation().Matches(result.Text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(citations);
        Assert.All(citations, c => Assert.Contains(c, ids));
        Assert.Equal("rag", Assert.Single(await ChargesAsync()).Endpoint);
    }

    [Fact]
    public async Task A_small_context_budget_drops_the_lowest_scoring_results_with_a_warning()
    {
        await TopUpAsync(100);

        // The fixture caps RAG passages at 300 tokens; each of these is ~150 tokens of context.
        for (var i = 0; i < 3; i++)
        {
            await IndexedDocumentAsync($"Budget {i}", $"Budget memo {i}. " + string.Concat(Enumerable.Repeat("The quarterly budget review covers spending. ", 13)));
        }

        var result = await StreamAsync("/v1/rag", new { query = "quarterly budget review", search = new { mode = "TEXT", limit = 3 } });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal(["search_results", "truncation_warning"], result.Types.Take(2));
        var warning = result.Last("truncation_warning");
        Assert.Equal(3, warning.GetProperty("resultsRequested").GetInt32());
        var used = warning.GetProperty("resultsUsed").GetInt32();
        Assert.InRange(used, 0, 2);
        Assert.Equal("context_window_budget", warning.GetProperty("reason").GetString());

        // The passages the model saw are the best-scoring ones, in order.
        var results = Json(result.Sse!.Events[0]).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()).ToList();
        var (_, prompt) = Fixture.Models.Prompts.Last(p => p.Prompt.Question == "quarterly budget review");
        Assert.Equal(results.Take(used), prompt.Passages.Select(p => p.CitationId));
    }

    [Fact]
    public async Task Rag_validates_its_search_block_and_excludes_other_tenants()
    {
        await TopUpAsync(100);
        Assert.Equal(HttpStatusCode.BadRequest, (await StreamAsync("/v1/rag", new { query = "" })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StreamAsync("/v1/rag", new { query = "x", search = new { limit = 51 } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StreamAsync("/v1/rag", new { query = "x", search = new { mode = "FUZZY" } })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await StreamAsync("/v1/rag", new { query = "x", maxTokens = 4097 })).Status);
        Assert.Empty(await ChargesAsync());

        // Another partner's document never reaches this tenant's results.
        var other = await Server.CreatePartnerAsync("rag-other");
        using var otherClient = Server.CreateClient(other.TestKey.RawKey);
        var created = await otherClient.PostAsJsonAsync("/v1/documents", new { title = "Secret", text = "zebra migration secret plans", indexMode = "HYBRID" });
        var otherId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Poll.UntilAsync(async () =>
            (await otherClient.GetFromJsonAsync<JsonElement>($"/v1/documents/{otherId}")).GetProperty("indexStatus").GetString() == "INDEXED", "other indexed");

        var result = await StreamAsync("/v1/rag", new { query = "zebra migration secret", search = new { mode = "TEXT" } });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Empty(Json(result.Sse!.Events[0]).GetProperty("results").EnumerateArray());
        Assert.DoesNotContain(otherId, result.Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\[([0-9a-f-]{36})\]")]
    private static partial Regex Citation();
}
