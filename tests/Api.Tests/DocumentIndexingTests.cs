using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Documents through the indexing pipeline (issue #8 items 2–4 and 6): an upload moves UPLOADED → EXTRACTING →
/// PENDING_INDEX → INDEXED with its text stored (and dropped afterwards when storeText is false); an unsupported type
/// ends FAILED naming it; empty text is SKIPPED, indexMode NONE is STORED; filters take undeclared payload scalars.
/// Rows are written as the document grain writes them, so these tests do not wait for the documents API.
/// </summary>
public sealed class DocumentIndexingTests(IndexingServerFixture fixture) : IClassFixture<IndexingServerFixture>, IAsyncLifetime
{
    private string _tenant = "";

    public async Task InitializeAsync() => _tenant = (await fixture.Server.CreatePartnerAsync(nameof(DocumentIndexingTests))).TestTenantId;

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_text_document_is_indexed_with_its_title_and_undeclared_payload_scalars_as_filters()
    {
        var id = await new DocumentSeed
        {
            Title = "Refund policy",
            Body = "Refunds are issued within fourteen days of a return.",
            ExternalId = "policy-7",
            Payload = $$"""{"region":"EU","year":2026,"draft":false,"owner":{"team":"billing"},"long":"{{new string('x', 300)}}"}""",
        }.InsertAsync(fixture.Db, _tenant);

        Assert.Equal("INDEXED", await FinalStatusAsync(id));
        var chunk = JsonNode.Parse(await TextAsync(
            """
            SELECT row_to_json(x)::text FROM (SELECT title, chunk_text, filter, metadata, external_id, embedding IS NOT NULL AS has_embedding
            FROM chunks WHERE tenant_id = $1 AND source_kind = 'document' AND source_id = $2) x
            """, _tenant, id))!;
        Assert.Equal("Refund policy", chunk["title"]!.GetValue<string>());
        Assert.Equal("Refunds are issued within fourteen days of a return.", chunk["chunk_text"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"region":"EU","year":2026,"draft":false}"""), chunk["filter"]), chunk["filter"]!.ToJsonString());
        Assert.Equal("billing", chunk["metadata"]!["owner"]!["team"]!.GetValue<string>());
        Assert.True(chunk["has_embedding"]!.GetValue<bool>());

        var evt = Assert.Single(await EventsAsync(id));
        Assert.Equal("document.indexed", evt.Type);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(
            $$"""
            {"id":"{{id}}","externalId":"policy-7","typeName":null,"title":"Refund policy","scopes":[],"status":"ACTIVE",
             "indexStatus":"INDEXED","version":1,"chunkCount":1}
            """), evt.Data), evt.Data.ToJsonString());

        // The body of an inline-text document is always kept.
        Assert.Equal("Refunds are issued within fourteen days of a return.", await TextAsync("SELECT body FROM documents WHERE document_id = $1", id));
    }

    [Fact]
    public async Task An_upload_is_extracted_then_indexed_and_its_text_dropped_when_store_text_is_false()
    {
        var text = $"{ObservedEmbedder.HoldMarker} The quarterly report covers revenue, costs and the outlook for next year.";
        var id = await new DocumentSeed
        {
            Title = "Q3 report", Source = "FILE", IndexStatus = "UPLOADED", StoreText = false,
            FileName = PlainTextExtractor.HoldName, FileType = "text/plain", Bytes = Encoding.UTF8.GetBytes(text),
        }.InsertAsync(fixture.Db, _tenant);

        try
        {
            // Each step is held open in turn, so each state can be seen.
            await fixture.Extractor.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("EXTRACTING", await StatusAsync(id));
            fixture.Extractor.Release();

            await fixture.Embedder.Held.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("PENDING_INDEX", await StatusAsync(id));
            Assert.Equal(text, await TextAsync("SELECT body FROM documents WHERE document_id = $1", id));
            fixture.Embedder.Release();

            Assert.Equal("INDEXED", await FinalStatusAsync(id));
        }
        finally
        {
            fixture.Extractor.Release();
            fixture.Embedder.Release();
        }

        fixture.Embedder.Rearm();
        Assert.Equal("", await TextAsync("SELECT coalesce(body, '') FROM documents WHERE document_id = $1", id));
        Assert.Equal(Encoding.UTF8.GetByteCount(text), await ScalarAsync("SELECT text_bytes FROM documents WHERE document_id = $1", id));
        Assert.Equal(text, await TextAsync("SELECT chunk_text FROM chunks WHERE source_id = $1", id));
        Assert.Equal("document.indexed", Assert.Single(await EventsAsync(id)).Type);
    }

    [Fact]
    public async Task An_unsupported_file_type_fails_with_an_index_failure_that_names_it()
    {
        var id = await new DocumentSeed
        {
            Title = "Drawing", Source = "FILE", IndexStatus = "UPLOADED", FileName = "plan.dwg", FileType = "application/acad", Bytes = [1, 2, 3],
        }.InsertAsync(fixture.Db, _tenant);

        Assert.Equal("FAILED", await FinalStatusAsync(id));
        var failure = JsonNode.Parse(await TextAsync("SELECT index_failure::text FROM documents WHERE document_id = $1", id))!;
        Assert.Equal("SOURCE_UNAVAILABLE", failure["code"]!.GetValue<string>());
        Assert.Contains("application/acad", failure["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM chunks WHERE source_id = $1", id));

        var evt = Assert.Single(await EventsAsync(id));
        Assert.Equal("document.failed", evt.Type);
        Assert.Equal("FAILED", evt.Data["indexStatus"]!.GetValue<string>());
        Assert.Equal("SOURCE_UNAVAILABLE", evt.Data["indexFailure"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_corrupt_file_or_missing_bytes_fail_with_their_own_codes()
    {
        var corrupt = await new DocumentSeed
        {
            Title = "Broken", Source = "FILE", IndexStatus = "UPLOADED", FileName = "x.bin", FileType = "application/x-corrupt", Bytes = [0],
        }.InsertAsync(fixture.Db, _tenant);
        var missing = await new DocumentSeed { Title = "Gone", Source = "FILE", IndexStatus = "UPLOADED", FileType = "text/plain" }
            .InsertAsync(fixture.Db, _tenant);

        Assert.Equal("FAILED", await FinalStatusAsync(corrupt));
        Assert.Equal("TEXT_INDEX_FAILED", await TextAsync("SELECT index_failure->>'code' FROM documents WHERE document_id = $1", corrupt));
        Assert.Equal("FAILED", await FinalStatusAsync(missing));
        Assert.Equal("SOURCE_UNAVAILABLE", await TextAsync("SELECT index_failure->>'code' FROM documents WHERE document_id = $1", missing));
    }

    [Fact]
    public async Task Empty_text_is_skipped_index_mode_none_is_stored_and_archived_documents_stay_out_of_search()
    {
        var empty = await new DocumentSeed
        {
            Title = "Blank", Source = "FILE", IndexStatus = "UPLOADED", FileName = "blank.txt", FileType = "text/plain", Bytes = Encoding.UTF8.GetBytes("  \n "),
        }.InsertAsync(fixture.Db, _tenant);
        var stored = await new DocumentSeed
        {
            Title = "Kept", Source = "FILE", IndexStatus = "UPLOADED", IndexMode = "NONE", StoreText = false,
            FileName = "kept.txt", FileType = "text/plain", Bytes = Encoding.UTF8.GetBytes("Store only."),
        }.InsertAsync(fixture.Db, _tenant);
        var archived = await new DocumentSeed { Title = "Old", Status = "ARCHIVED", Body = "Archived text." }.InsertAsync(fixture.Db, _tenant);

        Assert.Equal("SKIPPED", await FinalStatusAsync(empty));
        Assert.Equal("document.indexed", Assert.Single(await EventsAsync(empty)).Type);
        Assert.Equal("STORED", await FinalStatusAsync(stored));
        Assert.Empty(await EventsAsync(stored));
        Assert.Equal("", await TextAsync("SELECT coalesce(body, '') FROM documents WHERE document_id = $1", stored));
        Assert.Equal(11, await ScalarAsync("SELECT text_bytes FROM documents WHERE document_id = $1", stored));
        Assert.Equal("SKIPPED", await FinalStatusAsync(archived));
        Assert.Empty(await EventsAsync(archived));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM chunks WHERE source_id = ANY($1)", new[] { empty, stored, archived }));
    }

    [Fact]
    public async Task A_changed_document_is_re_indexed_once_per_version_and_a_stale_row_changes_nothing()
    {
        var id = await new DocumentSeed { Title = "Guide", Body = "Version one of the guide." }.InsertAsync(fixture.Db, _tenant);
        Assert.Equal("INDEXED", await FinalStatusAsync(id));

        // A metadata edit that leaves the state INDEXED (the writer need not reset it) still re-indexes.
        await ExecuteAsync("UPDATE documents SET payload = '{\"region\":\"US\"}', version = version + 1 WHERE document_id = $1", id);
        await EnqueueAsync(id);
        await Poll.UntilAsync(async () => await ScalarAsync("SELECT coalesce(indexed_version, 0) FROM documents WHERE document_id = $1", id) == 2, "v2 indexed");
        Assert.Equal("US", await TextAsync("SELECT filter->>'region' FROM chunks WHERE source_id = $1", id));

        // A duplicate row for a finished version is a no-op: no second event, same chunks.
        await EnqueueAsync(id);
        await Poll.UntilAsync(async () => await ScalarAsync("SELECT count(*) FROM outbox WHERE tenant_id = $1", _tenant) == 0, "outbox drained");
        Assert.Equal(new[] { 1L, 2L }, (await EventsAsync(id)).Select(e => e.Data["version"]!.GetValue<long>()));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM chunks WHERE source_id = $1", id));
    }

    private async Task<string> FinalStatusAsync(Guid id)
    {
        var status = "";
        await Poll.UntilAsync(async () =>
        {
            status = await StatusAsync(id);
            return status is "INDEXED" or "SKIPPED" or "STORED" or "FAILED"
                && await ScalarAsync("SELECT count(*) FROM documents WHERE document_id = $1 AND indexed_version = version", id) == 1;
        }, $"document {id} final");
        return status;
    }

    private Task<string> StatusAsync(Guid id) => TextAsync("SELECT index_status FROM documents WHERE document_id = $1", id);

    private async Task<List<(string Type, JsonObject Data)>> EventsAsync(Guid id)
    {
        var json = await TextAsync(
            "SELECT coalesce(json_agg(json_build_object('type', type, 'data', data) ORDER BY id), '[]')::text FROM events WHERE tenant_id = $1 AND source_id = $2",
            _tenant, id);
        return JsonNode.Parse(json)!.AsArray().Select(e => (e!["type"]!.GetValue<string>(), e["data"]!.AsObject())).ToList();
    }

    private async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var cmd = Command(sql, args);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<string> TextAsync(string sql, params object[] args)
    {
        await using var cmd = Command(sql, args);
        return (await cmd.ExecuteScalarAsync())?.ToString() ?? "";
    }

    private Task EnqueueAsync(Guid id) => ExecuteAsync(
        "INSERT INTO outbox (kind, tenant_id, context_id, payload) VALUES ('document.index', $2, 'default', json_build_object('documentId', $1::text)::jsonb)",
        id, _tenant);

    private async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var cmd = Command(sql, args);
        await cmd.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(string sql, object[] args)
    {
        var cmd = fixture.Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return cmd;
    }
}
