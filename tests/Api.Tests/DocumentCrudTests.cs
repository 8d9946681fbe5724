using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Inline-text documents through real HTTP (issue #8 items 1 and 3): ingest, read, PUT, PATCH, delete, the 0.40
/// lifecycle beside the processing state, idempotent create and upsert, and what each write leaves in the tables.
/// </summary>
public sealed class DocumentCrudTests : DocumentTestBase
{
    [Fact]
    public async Task Ingest_answers_both_generations_and_queues_indexing_in_the_same_write()
    {
        var created = await IngestTextAsync("Runbook", "Restart the service, then check the logs.");
        var id = Id(created);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.Equal("PENDING_INDEX", created.GetProperty("indexStatus").GetString());
        Assert.Equal("HYBRID", created.GetProperty("indexMode").GetString());
        Assert.Equal("Restart the service, then check the logs.".Length, created.GetProperty("textBytes").GetInt64());
        Assert.True(created.GetProperty("storeText").GetBoolean());
        Assert.False(created.GetProperty("payloadExternalized").GetBoolean());
        Assert.False(created.GetProperty("payloadPartial").GetBoolean());
        Assert.Equal(0, created.GetProperty("scopes").GetArrayLength());
        Assert.Equal(1, created.GetProperty("version").GetInt64());
        Assert.False(created.TryGetProperty("fileType", out _));
        Assert.False(created.TryGetProperty("fileSize", out _));
        Assert.False(created.TryGetProperty("indexFailure", out _));
        Assert.True(created.TryGetProperty("lastModified", out _));

        // Without a folderId the document goes to the context's root folder (spec L7112).
        var root = await ExpectAsync(await Client.GetAsync("/v1/folders"), HttpStatusCode.OK);
        var rootId = root.GetProperty("data").EnumerateArray().Single(f => f.GetProperty("isProtected").GetBoolean()).GetProperty("id").GetString();
        Assert.Equal(rootId, created.GetProperty("folderId").GetString());

        var read = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.False(read.TryGetProperty("created", out _));
        Assert.Equal("Runbook", read.GetProperty("title").GetString());

        Assert.Equal(1, await QueuedAsync(id));
        Assert.Equal("Restart the service, then check the logs.", await TextAsync("SELECT body FROM documents WHERE document_id = $1", Guid.Parse(id)));
        var text = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/text"), HttpStatusCode.OK);
        Assert.Equal(id, text.GetProperty("id").GetString());
        Assert.Equal("Restart the service, then check the logs.", text.GetProperty("text").GetString());
    }

    [Fact]
    public async Task Index_mode_comes_from_the_document_then_its_schema_and_is_otherwise_required()
    {
        var stored = await IngestAsync(new { title = "Archive", text = "kept, not searched", indexMode = "NONE" });
        Assert.Equal("STORED", stored.GetProperty("indexStatus").GetString());

        var before = await DocumentRowsAsync();
        var refused = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents", new { title = "No mode", text = "t" }), HttpStatusCode.BadRequest);
        Assert.Equal("indexMode", refused.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());

        var schema = await CreateDocumentSchemaAsync("memo", indexMode: "SEMANTIC");
        var inherited = await IngestAsync(new { title = "Memo", text = "t", schemaId = schema.GetProperty("id").GetString() });
        Assert.Equal("SEMANTIC", inherited.GetProperty("indexMode").GetString());
        var own = await IngestAsync(new { title = "Memo", text = "t", typeName = "memo", indexMode = "TEXT" });
        Assert.Equal("TEXT", own.GetProperty("indexMode").GetString());
        Assert.Equal("memo", own.GetProperty("typeName").GetString());

        await CreateDocumentSchemaAsync("bare", indexMode: null);
        var noDefault = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", typeName = "bare" }), HttpStatusCode.BadRequest);
        Assert.Equal("indexMode", noDefault.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Store_text_on_a_text_post_is_accepted_and_ignored()
    {
        var created = await IngestAsync(new { title = "T", text = "the body is the document", indexMode = "TEXT", storeText = false });
        Assert.True(created.GetProperty("storeText").GetBoolean());
        var text = await ExpectAsync(await Client.GetAsync($"/v1/documents/{Id(created)}/text"), HttpStatusCode.OK);
        Assert.Equal("the body is the document", text.GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_repeated_external_id_answers_the_existing_document_and_upsert_overwrites_it()
    {
        var first = await IngestTextAsync("Original", "first text", new { externalId = "doc-1", payload = new { topic = "a" } });
        var id = Id(first);

        var again = await Client.PostAsJsonAsync("/v1/documents", new { title = "Other", text = "other text", indexMode = "TEXT", externalId = "doc-1" });
        var same = await ExpectAsync(again, HttpStatusCode.OK);
        Assert.False(same.GetProperty("created").GetBoolean());
        Assert.Equal(id, Id(same));
        Assert.Equal("Original", same.GetProperty("title").GetString());
        Assert.Equal(1, same.GetProperty("version").GetInt64());

        var upserted = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents?upsert=true",
            new { title = "Renamed", text = "second text", indexMode = "NONE", externalId = "doc-1", payload = new { topic = "b" } }), HttpStatusCode.OK);
        Assert.False(upserted.GetProperty("created").GetBoolean());
        Assert.Equal(id, Id(upserted));
        Assert.Equal("Renamed", upserted.GetProperty("title").GetString());
        Assert.Equal("b", upserted.GetProperty("payload").GetProperty("topic").GetString());
        Assert.Equal("HYBRID", upserted.GetProperty("indexMode").GetString());
        Assert.Equal(2, upserted.GetProperty("version").GetInt64());
        Assert.Equal(2, await ScalarAsync("SELECT content_version FROM documents WHERE document_id = $1", Guid.Parse(id)));
        Assert.Equal("second text", (await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/text"), HttpStatusCode.OK)).GetProperty("text").GetString());

        // The same content again is a no-op: no version bump.
        var identical = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents?upsert=true",
            new { title = "Renamed", text = "second text", indexMode = "HYBRID", externalId = "doc-1", payload = new { topic = "b" } }), HttpStatusCode.OK);
        Assert.Equal(2, identical.GetProperty("version").GetInt64());
        Assert.Equal(1, (await DocumentRowsAsync()).Documents);
    }

    [Fact]
    public async Task Put_replaces_the_payload_re_ingests_new_text_and_ignores_index_mode()
    {
        var created = await IngestTextAsync("Doc", "v1 text", new { payload = new { a = 1, b = 2 } });
        var id = Id(created);
        await IndexedAsync(id);

        var put = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "Doc 2", payload = new { c = 3 }, indexMode = "NONE" }), HttpStatusCode.OK);
        Assert.Equal("Doc 2", put.GetProperty("title").GetString());
        Assert.Equal("""{"c":3}""", put.GetProperty("payload").GetRawText());
        Assert.Equal("HYBRID", put.GetProperty("indexMode").GetString());
        Assert.Equal("PENDING_INDEX", put.GetProperty("indexStatus").GetString());
        Assert.Equal(1, await ScalarAsync("SELECT content_version FROM documents WHERE document_id = $1", Guid.Parse(id)));

        var reingested = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { text = "v2 text, longer", expectedVersion = 2 }), HttpStatusCode.OK);
        Assert.Equal(3, reingested.GetProperty("version").GetInt64());
        Assert.Equal("v2 text, longer".Length, reingested.GetProperty("textBytes").GetInt64());
        Assert.Equal(2, await ScalarAsync("SELECT content_version FROM documents WHERE document_id = $1", Guid.Parse(id)));
        Assert.Equal(3, await QueuedAsync(id));

        var immutable = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { externalId = "new-ext" }), HttpStatusCode.BadRequest);
        Assert.Equal("externalId", immutable.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Expected_version_guards_put_and_patch_and_leaves_the_document_untouched()
    {
        var id = Id(await IngestTextAsync());
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "one", expectedVersion = 1 }), HttpStatusCode.OK);

        var stale = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "two", expectedVersion = 1 }), HttpStatusCode.Conflict);
        Assert.Equal("VERSION_CONFLICT", stale.GetProperty("errorCode").GetString());
        var stalePatch = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { title = "two", expectedVersion = 7 }), HttpStatusCode.Conflict);
        Assert.Equal("VERSION_CONFLICT", stalePatch.GetProperty("errorCode").GetString());

        var doc = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal("one", doc.GetProperty("title").GetString());
        Assert.Equal(2, doc.GetProperty("version").GetInt64());

        // Without expectedVersion the last write wins.
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "three" }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Patch_merges_the_payload_and_refuses_immutable_and_null_members()
    {
        var id = Id(await IngestTextAsync("Doc", "text", new { payload = new { keep = "k", drop = "d", nested = new { x = 1, y = 2 } } }));
        var patched = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}",
            new { payload = new Dictionary<string, object?> { ["drop"] = null, ["nested"] = new { y = 3 }, ["added"] = true } }), HttpStatusCode.OK);
        Assert.Equal("""{"keep":"k","nested":{"x":1,"y":3},"added":true}""", patched.GetProperty("payload").GetRawText());

        foreach (var (field, body) in new (string, string)[]
                 {
                     ("indexMode", """{"indexMode":"TEXT"}"""),
                     ("externalId", """{"externalId":"x"}"""),
                     ("storeText", """{"storeText":false}"""),
                     ("title", """{"title":null}"""),
                     ("folderId", """{"folderId":null}"""),
                 })
        {
            var refused = await ExpectAsync(await PatchRawAsync(Client, $"/v1/documents/{id}", body), HttpStatusCode.BadRequest);
            Assert.Equal(field, refused.GetProperty("details").GetProperty("field").GetString());
        }

        var text = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { text = "patched text" }), HttpStatusCode.OK);
        Assert.Equal("patched text".Length, text.GetProperty("textBytes").GetInt64());
        Assert.Equal(3, text.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Delete_removes_the_row_its_lookups_and_its_chunks_in_one_write_and_keeps_a_tombstone()
    {
        await CreateDocumentSchemaAsync("ticket", [new { fieldId = "code", fieldType = "string" }], ["code"]);
        var id = Id(await IngestAsync(new { title = "T", text = "body", typeName = "ticket", payload = new { code = "c-1" } }));
        await IndexedAsync(id);
        Assert.Equal(1, await ChunksAsync(id));
        Assert.Equal(1, (await DocumentRowsAsync()).Lookups);

        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{id}"), HttpStatusCode.NoContent);
        Assert.Equal(0, await ChunksAsync(id));
        var rows = await DocumentRowsAsync();
        Assert.Equal((0L, 0L, 1L), (rows.Documents, rows.Lookups, rows.Tombstones));
        Assert.Equal(1, await QueuedAsync(id, "delete"));
        Assert.DoesNotContain("body", await TextAsync("SELECT snapshot::text FROM document_tombstones WHERE document_id = $1", Guid.Parse(id)), StringComparison.Ordinal);

        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/text"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{id}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Archiving_takes_the_chunks_out_at_once_keeps_the_document_readable_and_active_re_indexes()
    {
        await CreateDocumentSchemaAsync("ticket", [new { fieldId = "code", fieldType = "string" }], ["code"]);
        var id = Id(await IngestAsync(new { title = "T", text = "body", typeName = "ticket", payload = new { code = "c-9" } }));
        await IndexedAsync(id);
        Assert.Equal(1, await ChunksAsync(id));

        var archived = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal("ARCHIVED", archived.GetProperty("status").GetString());
        Assert.Equal(0, await ChunksAsync(id));

        // Still readable by id, lookup and list (0.40 §3).
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal([id], Ids(await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=ticket&field=code&value=c-9"), HttpStatusCode.OK)));
        Assert.Contains(id, Ids(await ExpectAsync(await Client.GetAsync("/v1/documents"), HttpStatusCode.OK)));

        var queued = await QueuedAsync(id);
        var active = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { status = "ACTIVE" }), HttpStatusCode.OK);
        Assert.Equal("ACTIVE", active.GetProperty("status").GetString());
        Assert.Equal("PENDING_INDEX", active.GetProperty("indexStatus").GetString());
        Assert.Equal(queued + 1, await QueuedAsync(id));
    }

    [Fact]
    public async Task A_folder_must_exist_in_the_callers_context_and_lists_filter_by_it()
    {
        var folder = await InsertFolderAsync();
        var elsewhere = await InsertFolderAsync(contextId: "elsewhere");
        var inFolder = Id(await IngestTextAsync("in", "t", new { folderId = folder }));
        Id(await IngestTextAsync("out", "t"));

        var before = await DocumentRowsAsync();
        foreach (var bad in new[] { Guid.CreateVersion7(), elsewhere })
        {
            var refused = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents", new { title = "x", text = "t", indexMode = "TEXT", folderId = bad }), HttpStatusCode.BadRequest);
            Assert.Equal("folderId", refused.GetProperty("details").GetProperty("field").GetString());
        }

        Assert.Equal(before, await DocumentRowsAsync());
        Assert.Equal([inFolder], Ids(await ExpectAsync(await Client.GetAsync($"/v1/documents?folderId={folder}"), HttpStatusCode.OK)));

        // A folder holding a document is not empty.
        await ExpectAsync(await Client.DeleteAsync($"/v1/folders/{folder}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Lists_page_in_creation_order_and_filter_by_owner()
    {
        var user = Guid.NewGuid();
        var org = await CreateOrgAsync();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Id(await IngestTextAsync($"d{i}", "t", i % 2 == 0 ? new { userId = user, orgId = org } : null)));
        }

        var first = await ExpectAsync(await Client.GetAsync("/v1/documents?limit=3"), HttpStatusCode.OK);
        Assert.Equal(ids.Take(3), Ids(first));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await ExpectAsync(await Client.GetAsync($"/v1/documents?limit=3&startFrom={Uri.EscapeDataString(cursor!)}"), HttpStatusCode.OK);
        Assert.Equal(ids.Skip(3), Ids(second));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var owned = new[] { ids[0], ids[2], ids[4] };
        Assert.Equal(owned, Ids(await ExpectAsync(await Client.GetAsync($"/v1/documents?userId={user}"), HttpStatusCode.OK)));
        Assert.Equal(owned, Ids(await ExpectAsync(await Client.GetAsync($"/v1/documents?orgId={org}"), HttpStatusCode.OK)));
        Assert.Equal(owned, Ids(await ExpectAsync(await Client.GetAsync($"/v1/documents?scope=org:{org}"), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await Client.GetAsync($"/v1/documents?clientId={Guid.NewGuid()}"), HttpStatusCode.OK)));
    }
}
