using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// Chat, RAG and ask over real HTTP with the local extractive answerer: every SSE event of each stream validates
/// against the operation's event schemas (ContentDeltaEvent, DoneEvent, SearchResultsEvent, DocumentContextEvent);
/// the events no healthy call produces (ErrorEvent, TruncationWarningEvent) are checked as the server serialises them.
/// The top-up response is checked against the portal's own shape (Delta040/billing.yaml).
/// </summary>
public sealed class InferenceContractTests : ApiTestBase
{
    private async Task TopUpAsync(long cents)
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var response = await op.PostAsJsonAsync("/developer/billing/top-ups", new { tenantId = Partner.TestTenantId, amountCents = cents, reference = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        ContractAssert.MatchesDelta("TopUpResponse", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> IndexedAsync(string title, string text)
    {
        var created = await Client.PostAsJsonAsync("/v1/documents", new { title, text, indexMode = "HYBRID" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Poll.UntilAsync(async () =>
            (await Client.GetFromJsonAsync<JsonElement>($"/v1/documents/{id}")).GetProperty("indexStatus").GetString() == "INDEXED", "indexed");
        return id;
    }

    [SpecFact]
    public async Task Chat_rag_and_ask_stream_events_of_the_spec_shapes()
    {
        await ContractAssert.MatchesResponseAsync("chatInference",
            await Client.PostAsJsonAsync("/v1/chat", new { messages = new[] { new { role = "user", content = "hi" } } }));
        await TopUpAsync(1000);
        var id = await IndexedAsync("Shipping", "Orders ship within two business days. Express shipping arrives the next day.");

        var chat = await Client.PostAsJsonAsync("/v1/chat", new { messages = new[] { new { role = "user", content = "When do orders ship?" } } });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        await ContractAssert.MatchesResponseAsync("chatInference", chat);

        var rag = await Client.PostAsJsonAsync("/v1/rag", new { query = "when do orders ship", search = new { mode = "TEXT" } });
        var ragBody = await rag.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, rag.StatusCode);
        ContractAssert.MatchesResponse("ragInference", 200, ragBody);
        var search = SseParser.Parse(ragBody).Events.First(e => e.Type == "search_results");
        foreach (var result in JsonDocument.Parse(search.Data).RootElement.GetProperty("results").EnumerateArray())
        {
            ContractAssert.MatchesDelta("RagSearchResult040", result.GetRawText());
        }

        var ask = await Client.PostAsJsonAsync($"/v1/documents/{id}/ask", new { prompt = "How fast is express shipping?" });
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        await ContractAssert.MatchesResponseAsync("documentAsk", ask);

        await ContractAssert.MatchesResponseAsync("documentAsk", await Client.PostAsJsonAsync($"/v1/documents/{Guid.NewGuid()}/ask", new { prompt = "x" }));
        await ContractAssert.MatchesResponseAsync("ragInference", await Client.PostAsJsonAsync("/v1/rag", new { query = "" }));
    }

    [SpecFact]
    public void Error_and_truncation_events_serialise_to_their_schemas()
    {
        ContractAssert.MatchesSchema("ErrorEvent", JsonSerializer.Serialize(new ErrorEvent("The model failed.", "inference_error"), ApiJson.Response));
        ContractAssert.MatchesSchema("TruncationWarningEvent",
            JsonSerializer.Serialize(new TruncationWarningEvent(10, 4, "context_window_budget"), ApiJson.Response));
        ContractAssert.MatchesSchema("DocumentContextEvent",
            JsonSerializer.Serialize(new DocumentContextEvent(Guid.NewGuid().ToString(), null, 12, "m"), ApiJson.Response));
    }
}
