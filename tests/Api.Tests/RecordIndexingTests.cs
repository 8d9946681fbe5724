using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Records through the indexing pipeline over real HTTP (issue #8 items 3, 4 and 6): indexStatus moves from
/// PENDING_INDEX to INDEXED, SKIPPED or stays null for NONE; chunks hold searchable text, filterable values and
/// ownership, never a sensitive value; archive and delete take a record out of search in their own transaction;
/// each indexed version is announced once in the events outbox.
/// </summary>
public sealed class RecordIndexingTests : RecordTestBase
{
    private const string Ssn = "987-65-4321";
    private const string Secret = "confidential-diagnosis-xyzzy";

    private Task ArticleSchemaAsync(string indexMode = "HYBRID") => CreateSchemaAsync(new
    {
        typeName = "article",
        displayName = "Article",
        indexMode,
        fields = new object[]
        {
            new { fieldId = "headline", fieldType = "string", searchable = true },
            new { fieldId = "body", fieldType = "string", searchable = true },
            new { fieldId = "category", fieldType = "string", filterable = true },
            new { fieldId = "tags", fieldType = "array", filterable = true },
            new { fieldId = "views", fieldType = "number" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true },
            new { fieldId = "notes", fieldType = "string", sensitive = true },
        },
    });

    private static object Payload(string body) => new
    {
        headline = "Printer troubleshooting",
        body,
        category = "hardware",
        tags = new[] { "printer", "office" },
        views = 12,
        ssn = Ssn,
        notes = Secret,
    };

    [Fact]
    public async Task A_record_is_indexed_with_its_searchable_text_filters_and_ownership_and_never_a_sensitive_value()
    {
        await ArticleSchemaAsync();
        var org = await CreateOrgAsync();
        var (parent, child) = await InsertFolderPairAsync();
        var userId = Guid.NewGuid();
        var created = await CreateRecordAsync(new
        {
            typeName = "article", externalId = "kb-1", folderId = child, userId, orgId = org, payload = Payload("Open the tray and clear the paper jam."),
        });
        var id = Guid.Parse(Id(created));
        Assert.Equal("PENDING_INDEX", created.GetProperty("indexStatus").GetString());

        var indexed = await FinalAsync(id);
        Assert.True(indexed.GetProperty("indexStatus").GetString() == "INDEXED", indexed.ToString());
        Assert.False(indexed.TryGetProperty("indexFailure", out _));

        var chunk = await ChunkAsync(id);
        Assert.Equal("Printer troubleshooting\n\nOpen the tray and clear the paper jam.", chunk["chunk_text"]!.GetValue<string>());
        Assert.Equal(chunk["chunk_text"]!.GetValue<string>(), chunk["context_text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"category":"hardware","tags":["printer","office"]}"""), chunk["filter"]), chunk["filter"]!.ToJsonString());
        var metadata = chunk["metadata"]!.AsObject();
        Assert.Equal("hardware", metadata["category"]!.GetValue<string>());
        Assert.Equal(12, metadata["views"]!.GetValue<int>());
        Assert.False(metadata.ContainsKey("ssn") || metadata.ContainsKey("notes"));
        Assert.Equal("article", chunk["type_name"]!.GetValue<string>());
        Assert.Equal("kb-1", chunk["external_id"]!.GetValue<string>());
        Assert.Equal(userId, chunk["user_id"]!.GetValue<Guid>());
        Assert.Equal(child, chunk["folder_id"]!.GetValue<Guid>());
        Assert.Equal(new[] { parent, child }, chunk["folder_path"]!.AsArray().Select(n => n!.GetValue<Guid>()));
        Assert.Equal(new[] { $"org:{org}" }, chunk["scopes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(1, chunk["source_version"]!.GetValue<long>());
        Assert.Equal("HYBRID", chunk["index_mode"]!.GetValue<string>());
        Assert.True(chunk["has_embedding"]!.GetValue<bool>());
        Assert.True(chunk["has_tsv"]!.GetValue<bool>());
        Assert.Null(chunk["title"]);

        // No sensitive value anywhere in the index, nor in the event.
        var everything = await TextAsync(
            "SELECT string_agg(chunk_text || context_text || filter::text || metadata::text || coalesce(tsv::text, ''), '|') FROM chunks WHERE tenant_id = $1",
            Partner.TestTenantId);
        var events = await TextAsync("SELECT string_agg(data::text, '|') FROM events WHERE tenant_id = $1", Partner.TestTenantId);
        foreach (var text in new[] { everything, events })
        {
            Assert.DoesNotContain(Ssn, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("xyzzy", text, StringComparison.Ordinal);
            Assert.DoesNotContain("$enc", text, StringComparison.Ordinal);
        }

        var evt = Assert.Single(await EventsAsync(id));
        Assert.Equal("record.indexed", evt.Type);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(
            $$"""
            {"id":"{{id}}","externalId":"kb-1","typeName":"article","scopes":["org:{{org}}"],"status":"ACTIVE","indexStatus":"INDEXED",
             "version":1,"chunkCount":1}
            """), evt.Data), evt.Data.ToJsonString());
    }

    [Fact]
    public async Task An_update_replaces_the_chunk_set_and_each_indexed_version_is_announced_once()
    {
        await ArticleSchemaAsync();
        var id = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "article", payload = Payload("First text about toner.") })));
        await FinalAsync(id);

        var longBody = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}")) + ".";
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = Payload(longBody) }), HttpStatusCode.OK);
        var second = await FinalAsync(id, version: 2);
        Assert.Equal("INDEXED", second.GetProperty("indexStatus").GetString());

        var texts = await ChunkTextsAsync(id);
        Assert.True(texts.Count >= 3, $"{texts.Count} chunks");
        Assert.DoesNotContain(texts, t => t.Contains("toner", StringComparison.Ordinal));
        Assert.Equal(2, await ScalarAsync(
            "SELECT min(source_version) FROM chunks WHERE tenant_id = $1 AND source_id = $2", Partner.TestTenantId, id));

        var events = await EventsAsync(id);
        Assert.Equal(new[] { 1L, 2L }, events.Select(e => e.Data["version"]!.GetValue<long>()));
        Assert.All(events, e => Assert.Equal("record.indexed", e.Type));
        Assert.Equal(texts.Count, events[1].Data["chunkCount"]!.GetValue<int>());

        // A change that leaves the searchable text alone re-indexes the same chunks (new filter values, same text).
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { category = "software" } }), HttpStatusCode.OK);
        await FinalAsync(id, version: 3);
        Assert.Equal(texts, await ChunkTextsAsync(id));
        Assert.Equal("software", await TextAsync(
            "SELECT DISTINCT filter->>'category' FROM chunks WHERE tenant_id = $1 AND source_id = $2", Partner.TestTenantId, id));
    }

    [Fact]
    public async Task Archive_and_delete_take_a_record_out_of_search_in_the_same_transaction()
    {
        await ArticleSchemaAsync();
        var id = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "article", payload = Payload("Archived text.") })));
        await FinalAsync(id);
        Assert.Equal(1, await ChunkCountAsync(id));

        // The chunks are gone when the PATCH answers, not once the outbox catches up.
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal(0, await ChunkCountAsync(id));
        var archived = await FinalAsync(id, version: 2);
        Assert.Equal("SKIPPED", archived.GetProperty("indexStatus").GetString());
        Assert.Equal(0, await ChunkCountAsync(id));

        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { status = "ACTIVE" }), HttpStatusCode.OK);
        Assert.Equal("INDEXED", (await FinalAsync(id, version: 3)).GetProperty("indexStatus").GetString());
        Assert.Equal(1, await ChunkCountAsync(id));

        // Archiving is not an indexing result: versions 1 and 3 are announced, 2 is not.
        Assert.Equal(new[] { 1L, 3L }, (await EventsAsync(id)).Select(e => e.Data["version"]!.GetValue<long>()));

        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NoContent);
        Assert.Equal(0, await ChunkCountAsync(id));
        await Poll.UntilAsync(async () => await ScalarAsync(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND payload->>'recordId' = $2", Partner.TestTenantId, id.ToString()) == 0, "outbox drained");
        Assert.Equal(0, await ChunkCountAsync(id));
        Assert.Equal(2, (await EventsAsync(id)).Count);
    }

    [Fact]
    public async Task A_record_with_nothing_searchable_is_skipped_and_that_is_announced()
    {
        await ArticleSchemaAsync();
        var id = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "article", payload = new { category = "hardware", ssn = Ssn } })));

        Assert.Equal("SKIPPED", (await FinalAsync(id)).GetProperty("indexStatus").GetString());
        Assert.Equal(0, await ChunkCountAsync(id));
        var evt = Assert.Single(await EventsAsync(id));
        Assert.Equal("record.indexed", evt.Type);
        Assert.Equal("SKIPPED", evt.Data["indexStatus"]!.GetValue<string>());
        Assert.Equal(0, evt.Data["chunkCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Store_only_records_keep_a_null_index_status_and_are_never_indexed()
    {
        await ArticleSchemaAsync(indexMode: "NONE");
        var id = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "article", payload = Payload("Store only.") })));
        await Poll.UntilAsync(async () => await ScalarAsync(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND payload->>'recordId' = $2", Partner.TestTenantId, id.ToString()) == 0, "outbox drained");

        var record = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.OK);
        Assert.False(record.TryGetProperty("indexStatus", out _));
        Assert.Equal(0, await ChunkCountAsync(id));
        Assert.Empty(await EventsAsync(id));
    }

    [Fact]
    public async Task Text_mode_has_no_vectors_and_semantic_mode_no_full_text()
    {
        await ArticleSchemaAsync();
        var text = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "article", indexMode = "TEXT", payload = Payload("Text lane only.") })));
        var semantic = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "article", indexMode = "SEMANTIC", payload = Payload("Vector lane only.") })));
        await FinalAsync(text);
        await FinalAsync(semantic);

        var textChunk = await ChunkAsync(text);
        Assert.False(textChunk["has_embedding"]!.GetValue<bool>());
        Assert.True(textChunk["has_tsv"]!.GetValue<bool>());
        var semanticChunk = await ChunkAsync(semantic);
        Assert.True(semanticChunk["has_embedding"]!.GetValue<bool>());
        Assert.False(semanticChunk["has_tsv"]!.GetValue<bool>());
    }

    /// <summary>Polls GET until the record's version is reached and its indexStatus is no longer PENDING_INDEX.</summary>
    private async Task<JsonElement> FinalAsync(Guid id, long version = 1)
    {
        JsonElement record = default;
        await Poll.UntilAsync(async () =>
        {
            record = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.OK);
            return record.GetProperty("version").GetInt64() == version
                && record.TryGetProperty("indexStatus", out var status) && status.GetString() != "PENDING_INDEX";
        }, $"record {id} v{version} indexed");
        return record;
    }

    private async Task<(Guid Parent, Guid Child)> InsertFolderPairAsync()
    {
        var (parent, child) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await ExecuteAsync(
            """
            INSERT INTO folders (tenant_id, context_id, folder_id, parent_id, name, slug, depth)
            VALUES ($1, 'default', $2, NULL, 'Parent', $4, 0), ($1, 'default', $3, $2, 'Child', $5, 1)
            """,
            Partner.TestTenantId, parent, child, "p-" + parent.ToString("N"), "c-" + child.ToString("N"));
        return (parent, child);
    }

    private async Task<JsonObject> ChunkAsync(Guid id) => JsonNode.Parse(await TextAsync(
        """
        SELECT row_to_json(x)::text FROM (
            SELECT chunk_text, context_text, filter, metadata, type_name, title, external_id, user_id, folder_id, folder_path, scopes,
                   source_version, index_mode, embedding IS NOT NULL AS has_embedding, tsv IS NOT NULL AS has_tsv
            FROM chunks WHERE tenant_id = $1 AND source_kind = 'record' AND source_id = $2) x
        """, Partner.TestTenantId, id))!.AsObject();

    private async Task<List<string>> ChunkTextsAsync(Guid id)
    {
        var json = await TextAsync(
            "SELECT json_agg(chunk_text ORDER BY ordinal)::text FROM chunks WHERE tenant_id = $1 AND source_kind = 'record' AND source_id = $2",
            Partner.TestTenantId, id);
        return JsonSerializer.Deserialize<List<string>>(json)!;
    }

    private Task<long> ChunkCountAsync(Guid id) =>
        ScalarAsync("SELECT count(*) FROM chunks WHERE tenant_id = $1 AND source_kind = 'record' AND source_id = $2", Partner.TestTenantId, id);

    private async Task<List<(string Type, JsonObject Data)>> EventsAsync(Guid id)
    {
        var json = await TextAsync(
            "SELECT coalesce(json_agg(json_build_object('type', type, 'data', data) ORDER BY id), '[]')::text FROM events WHERE tenant_id = $1 AND source_id = $2",
            Partner.TestTenantId, id);
        return JsonNode.Parse(json)!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["data"]!.AsObject())).ToList();
    }
}
