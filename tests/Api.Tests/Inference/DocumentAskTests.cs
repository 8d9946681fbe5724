using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary><c>POST /v1/documents/{id}/ask</c>: document context first, the read gate's 404, 409 and 413.</summary>
[Collection(InferenceCollection.Name)]
public sealed class DocumentAskTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    [Fact]
    public async Task Ask_streams_the_document_context_then_an_answer_citing_the_document()
    {
        await TopUpAsync(100);
        const string text = "The warranty lasts two years from the date of purchase.";
        var id = await IndexedDocumentAsync("Warranty", text);

        var result = await StreamAsync($"/v1/documents/{id}/ask", new { prompt = "How long is the warranty?" });
        Assert.Equal(HttpStatusCode.OK, result.Status);
        Assert.Equal("document_context", result.Types[0]);
        Assert.Equal("done", result.Types[^1]);
        Assert.All(result.Types.Skip(1).SkipLast(1), t => Assert.Equal("content_delta", t));

        var context = Json(result.Sse!.Events[0]);
        Assert.Equal(id, context.GetProperty("documentId").GetString());
        Assert.Equal("Warranty", context.GetProperty("title").GetString());
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), context.GetProperty("textBytes").GetInt64());
        Assert.Equal("scripted", context.GetProperty("model").GetString());
        Assert.Contains($"[{id}]", result.Text, StringComparison.Ordinal);
        Assert.Equal("ask", Assert.Single(await ChargesAsync()).Endpoint);
    }

    [Fact]
    public async Task A_foreign_or_missing_document_is_404_and_charges_nothing()
    {
        await TopUpAsync(100);
        var other = await Server.CreatePartnerAsync("ask-other");
        using var otherClient = Server.CreateClient(other.TestKey.RawKey);
        var created = await otherClient.PostAsJsonAsync("/v1/documents", new { title = "Theirs", text = "not yours", indexMode = "HYBRID" });
        var foreign = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await StreamAsync($"/v1/documents/{foreign}/ask", new { prompt = "What?" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await StreamAsync($"/v1/documents/{Guid.NewGuid()}/ask", new { prompt = "What?" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await StreamAsync("/v1/documents/not-a-uuid/ask", new { prompt = "What?" })).Status);
        Assert.Empty(await ChargesAsync());
    }

    [Fact]
    public async Task A_document_without_text_is_409_and_one_over_the_token_limit_is_413()
    {
        await TopUpAsync(100);
        var upload = await Client.PostAsJsonAsync("/v1/documents/upload", new { fileName = "later.md", fileType = "text/markdown", indexMode = "TEXT" });
        var pending = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var notReady = await StreamAsync($"/v1/documents/{pending}/ask", new { prompt = "What?" });
        Assert.Equal(HttpStatusCode.Conflict, notReady.Status);

        // The fixture allows 2,000 tokens (~8,000 characters) of document.
        var big = await IndexedDocumentAsync("Big", string.Concat(Enumerable.Repeat("A long report line about many things. ", 300)));
        var tooBig = await StreamAsync($"/v1/documents/{big}/ask", new { prompt = "Summarise" });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.Status);

        Assert.Equal(HttpStatusCode.BadRequest, (await StreamAsync($"/v1/documents/{big}/ask", new { prompt = "" })).Status);
        Assert.Empty(await ChargesAsync());
    }
}
