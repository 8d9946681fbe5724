using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Documents through the documents API and the indexing pipeline together (issue #8 items 1–4 and 6): a text
/// document and an uploaded file (real extractor) end INDEXED with their chunks, schema-bound filters and one event;
/// an edit swaps the chunk set; archive and delete take the document out of search in their own write.
/// </summary>
public sealed class DocumentApiIndexingTests : DocumentTestBase
{
    [Fact]
    public async Task A_text_document_is_indexed_re_indexed_on_edit_and_leaves_search_on_archive_and_delete()
    {
        await CreateDocumentSchemaAsync("policy",
            [new { fieldId = "region", fieldType = "string", filterable = true }, new { fieldId = "owner", fieldType = "string", sensitive = true }],
            indexMode: "HYBRID");
        var created = await IngestAsync(new
        {
            title = "Travel policy", text = "Economy class for flights under six hours.", typeName = "policy",
            payload = new { region = "EU", owner = "secret-owner-77", costCentre = "cc-12" },
        });
        var id = Id(created);
        await IndexedAsync(id);

        var chunk = JsonNode.Parse(await TextAsync(
            "SELECT row_to_json(x)::text FROM (SELECT title, chunk_text, filter, metadata, type_name FROM chunks WHERE source_id = $1) x", Guid.Parse(id)))!;
        Assert.Equal("Travel policy", chunk["title"]!.GetValue<string>());
        Assert.Equal("Economy class for flights under six hours.", chunk["chunk_text"]!.GetValue<string>());
        Assert.Equal("policy", chunk["type_name"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"region":"EU","costCentre":"cc-12"}"""), chunk["filter"]), chunk["filter"]!.ToJsonString());
        Assert.DoesNotContain("secret-owner-77", chunk.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM events WHERE source_id = $1 AND type = 'document.indexed'", Guid.Parse(id)));

        await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { text = "Business class for flights over six hours." }), HttpStatusCode.OK);
        await Poll.UntilAsync(async () => await TextAsync("SELECT string_agg(chunk_text, '|') FROM chunks WHERE source_id = $1", Guid.Parse(id))
            == "Business class for flights over six hours.", "the new text indexed");
        await IndexedAsync(id);
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM events WHERE source_id = $1 AND type = 'document.indexed'", Guid.Parse(id)));

        await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal(0, await ChunksAsync(id));
        await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { status = "ACTIVE" }), HttpStatusCode.OK);
        await IndexedAsync(id);
        Assert.Equal(1, await ChunksAsync(id));

        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{id}"), HttpStatusCode.NoContent);
        Assert.Equal(0, await ChunksAsync(id));
    }

    [Fact]
    public async Task An_uploaded_file_is_extracted_and_indexed_and_its_text_not_kept_when_store_text_is_false()
    {
        var html = "<html><head><title>x</title><script>var hidden = 1;</script></head><body><h1>Onboarding</h1><p>Bring your passport on day one.</p></body></html>";
        var started = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/upload",
            new { fileName = "onboarding.html", fileType = "text/html", indexMode = "HYBRID", storeText = false }), HttpStatusCode.Created);
        var id = Id(started);
        await PutAsync(started.GetProperty("uploadUrl").GetString()!, Encoding.UTF8.GetBytes(html), "text/html");

        await IndexedAsync(id);
        var text = await TextAsync("SELECT string_agg(chunk_text, '|') FROM chunks WHERE source_id = $1", Guid.Parse(id));
        Assert.Contains("Bring your passport on day one.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", text, StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM documents WHERE document_id = $1 AND body IS NOT NULL", Guid.Parse(id)));
        var document = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.True(document.GetProperty("textBytes").GetInt64() > 0);
    }

    [Fact]
    public async Task A_file_that_is_not_what_it_claims_ends_failed_with_the_extractors_code()
    {
        var started = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/upload",
            new { fileName = "scan.pdf", fileType = "application/pdf", indexMode = "HYBRID" }), HttpStatusCode.Created);
        var id = Id(started);
        await PutAsync(started.GetProperty("uploadUrl").GetString()!, Encoding.ASCII.GetBytes("not a pdf at all"), "application/pdf");

        JsonElement document = default;
        await Poll.UntilAsync(async () =>
        {
            document = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
            return document.GetProperty("indexStatus").GetString() == "FAILED";
        }, "the upload failed");
        Assert.Equal("TEXT_INDEX_FAILED", document.GetProperty("indexFailure").GetProperty("code").GetString());
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM events WHERE source_id = $1 AND type = 'document.failed'", Guid.Parse(id)));
    }

    private async Task PutAsync(string url, byte[] bytes, string contentType)
    {
        using var anonymous = Server.CreateClient();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        await ExpectAsync(await anonymous.PutAsync(url, content), HttpStatusCode.OK);
    }
}
