using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #8 items 3–5 end to end: records and documents written through the API, indexed by the pipeline (the
/// outbox), then found by search with their placement, ownership and filterable fields; archiving and deleting take
/// them out of search at once; sensitive values never come back.
/// </summary>
public sealed class SearchEndToEndTests : SearchTestBase
{
    private async Task<JsonElement> PostAsync(string route, object body)
    {
        var response = await Client.PostAsJsonAsync(route, body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{route}: {response.StatusCode} {json}");
        return json;
    }

    private async Task<string> IndexedAsync(string route, object body)
    {
        var id = (await PostAsync(route, body)).GetProperty("id").GetString()!;
        await WaitIndexedAsync(route, id);
        return id;
    }

    private Task WaitIndexedAsync(string route, string id) => Poll.UntilAsync(async () =>
    {
        var item = await Client.GetFromJsonAsync<JsonElement>($"{route}/{id}");
        var status = item.GetProperty("indexStatus").GetString();
        Assert.NotEqual("FAILED", status);
        return status == "INDEXED";
    }, $"{route}/{id} indexed");

    private async Task<List<string>> FindAsync(object request) =>
        [.. Results(await SearchAsync(request)).Select(r => r.GetProperty("documentId").GetString()!).Order()];

    private static List<string> Sorted(params string[] ids) => [.. ids.Order()];

    [Fact]
    public async Task Records_and_documents_indexed_through_the_api_are_found_with_their_fields()
    {
        await CreateSchemaAsync(new
        {
            typeName = "ticket",
            displayName = "Ticket",
            allowedSurfaces = new[] { "record", "document" },
            indexMode = "HYBRID",
            fields = new object[]
            {
                new { fieldId = "subject", fieldType = "string", searchable = true },
                new { fieldId = "priority", fieldType = "number", filterable = true },
                new { fieldId = "opened", fieldType = "date", filterable = true },
                new { fieldId = "secret", fieldType = "string", sensitive = true },
            },
        });
        var parent = (await PostAsync("/v1/folders", new { name = "Support" })).GetProperty("id").GetString()!;
        var child = (await PostAsync("/v1/folders", new { name = "Escalations", parentFolderId = parent })).GetProperty("id").GetString()!;

        var urgent = await IndexedAsync("/v1/records", new
        {
            typeName = "ticket",
            externalId = "T-1",
            folderId = child,
            scopes = new[] { "team:blue" },
            payload = new { subject = "The espresso machine leaks water", priority = 1, opened = "2026-03-01", secret = "zanzibar" },
        });
        var routine = await IndexedAsync("/v1/records", new
        {
            typeName = "ticket",
            payload = new { subject = "Espresso beans are running low", priority = 4, opened = "2026-01-10" },
        });
        var manual = await IndexedAsync("/v1/documents", new
        {
            title = "Espresso machine manual",
            text = "Descale the espresso machine monthly. A leaking espresso machine usually needs a new gasket.",
            indexMode = "HYBRID",
            folderId = parent,
            externalId = "manual-7",
            payload = new { vendor = "Gaggia" },
        });

        Assert.Equal(Sorted(urgent, routine, manual), await FindAsync(new { query = "espresso", mode = "TEXT", uniqueDocuments = true }));
        var hybrid = Results(await SearchAsync(new { query = "espresso machine leaks", uniqueDocuments = true }));
        Assert.Contains(hybrid, r => r.GetProperty("documentId").GetString() == urgent && r.GetProperty("sourceType").GetString() == "GenericRecord"
            && r.GetProperty("externalId").GetString() == "T-1");
        Assert.Contains(hybrid, r => r.GetProperty("documentId").GetString() == manual && r.GetProperty("sourceType").GetString() == "PartnerDocument"
            && r.GetProperty("externalId").GetString() == "manual-7");
        Assert.NotEmpty(await FindAsync(new { query = "espresso", mode = "SEMANTIC" }));

        Assert.Equal(Sorted(urgent), await FindAsync(new { query = "espresso", mode = "TEXT", filters = new { priority = new Dictionary<string, object> { ["$lt"] = 3 } } }));
        Assert.Equal(Sorted(routine), await FindAsync(new { query = "espresso", mode = "TEXT", filters = new { opened = new Dictionary<string, object> { ["$lt"] = "2026-02-01" } } }));
        Assert.Equal(Sorted(manual), await FindAsync(new { query = "espresso", mode = "TEXT", uniqueDocuments = true, filters = new { vendor = "Gaggia" } }));
        Assert.Equal(Sorted(urgent, routine), await FindAsync(new { query = "espresso", mode = "TEXT", typeName = "ticket" }));
        Assert.Equal(Sorted(urgent), await FindAsync(new { query = "espresso", mode = "TEXT", folderId = child }));
        Assert.Equal(Sorted(urgent, manual), await FindAsync(new { query = "espresso", mode = "TEXT", rootFolderId = parent, uniqueDocuments = true }));
        Assert.Equal(Sorted(urgent), await FindAsync(new { query = "espresso", mode = "TEXT", scope = "team:blue" }));
        Assert.Equal(Sorted(manual), await FindAsync(new { query = "espresso", mode = "TEXT", contentTypes = new[] { "documents" }, uniqueDocuments = true }));

        // A sensitive value never reaches the index, the metadata or a snippet.
        Assert.Empty(await FindAsync(new { query = "zanzibar", mode = "TEXT" }));
        var record = Results(await SearchAsync(new { query = "leaks", mode = "TEXT", filters = new { externalId = "T-1" } })).Single();
        Assert.DoesNotContain("zanzibar", record.GetRawText(), StringComparison.Ordinal);
        Assert.False(record.GetProperty("metadata").TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Archiving_or_deleting_takes_an_item_out_of_search_at_once()
    {
        await CreateSchemaAsync(new
        {
            typeName = "memo",
            displayName = "Memo",
            allowedSurfaces = new[] { "record" },
            indexMode = "HYBRID",
            fields = new object[] { new { fieldId = "body", fieldType = "string", searchable = true } },
        });
        var record = await IndexedAsync("/v1/records", new { typeName = "memo", payload = new { body = "Quokka sighting near the office" } });
        var document = await IndexedAsync("/v1/documents", new { title = "Quokka", text = "Quokka facts for the newsletter.", indexMode = "HYBRID" });
        Assert.Equal(Sorted(record, document), await FindAsync(new { query = "quokka", mode = "TEXT" }));

        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsync($"/v1/records/{record}", JsonContent.Create(new { status = "ARCHIVED" }))).StatusCode);
        Assert.Equal(Sorted(document), await FindAsync(new { query = "quokka", mode = "TEXT" }));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/documents/{document}")).StatusCode);
        Assert.Empty(await FindAsync(new { query = "quokka" }));

        // ACTIVE again re-indexes through the outbox.
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsync($"/v1/records/{record}", JsonContent.Create(new { status = "ACTIVE" }))).StatusCode);
        await Poll.UntilAsync(async () => (await FindAsync(new { query = "quokka", mode = "TEXT" })).SequenceEqual([record]), "the record back in search");
    }
}
