using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Helpers shared by the document test classes: documents over HTTP, and the rows a write left behind.</summary>
public abstract class DocumentTestBase : RecordTestBase
{
    protected IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    protected CallerContext RootCaller => new(Partner.TestTenantId, "default", Partner.TestKey.KeyId, IsRoot: true, []);

    protected CallerContext Scoped(params string[] actions) => new(Partner.TestTenantId, "default", "ssk_test_documents", IsRoot: false, actions);

    /// <summary>Ingests a text document and asserts 201; returns its body.</summary>
    protected async Task<JsonElement> IngestAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/documents", request);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }

    /// <summary>A plain text document with an explicit indexMode (no schema to inherit one from).</summary>
    protected Task<JsonElement> IngestTextAsync(string title = "Note", string text = "Hello documents", object? extra = null) =>
        IngestAsync(Merge(new Dictionary<string, object?> { ["title"] = title, ["text"] = text, ["indexMode"] = "HYBRID" }, extra));

    /// <summary>A schema that documents may bind (allowedSurfaces includes document).</summary>
    protected Task<JsonElement> CreateDocumentSchemaAsync(string typeName, object[]? fields = null, object[]? lookupFields = null, bool audit = true, string? indexMode = "TEXT", HttpClient? client = null) =>
        CreateSchemaAsync(new Dictionary<string, object?>
        {
            ["typeName"] = typeName,
            ["displayName"] = typeName,
            ["allowedSurfaces"] = new[] { "document" },
            ["fields"] = fields ?? [],
            ["lookupFields"] = lookupFields ?? [],
            ["capabilities"] = new { auditHistory = audit },
            ["indexMode"] = indexMode,
        }, client);

    protected async Task<DocumentRows> DocumentRowsAsync(string? tenantId = null)
    {
        var tenant = tenantId ?? Partner.TestTenantId;
        return new DocumentRows(
            await ScalarAsync("SELECT count(*) FROM documents WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM document_lookups WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND entity_kind = 'document'", tenant),
            await ScalarAsync($"SELECT count(*) FROM {OutboxLog.Table} WHERE tenant_id = $1 AND kind = 'document.index'", tenant),
            await ScalarAsync("SELECT count(*) FROM document_tombstones WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM upload_tickets WHERE tenant_id = $1", tenant),
            await ScalarAsync("SELECT count(*) FROM blobs WHERE tenant_id = $1", tenant));
    }

    /// <summary>Waits until the indexing pipeline has indexed the document (its indexStatus reads INDEXED).</summary>
    protected async Task IndexedAsync(string documentId) => await Poll.UntilAsync(async () =>
        (await ExpectAsync(await Client.GetAsync($"/v1/documents/{documentId}"), HttpStatusCode.OK)).GetProperty("indexStatus").GetString() == "INDEXED",
        $"document {documentId} indexed");

    protected Task<long> ChunksAsync(string documentId) =>
        ScalarAsync("SELECT count(*) FROM chunks WHERE tenant_id = $1 AND source_kind = 'document' AND source_id = $2", Partner.TestTenantId, Guid.Parse(documentId));

    /// <summary>document.index rows queued for one document with this op (ever: the indexer drains the outbox itself).</summary>
    protected Task<long> QueuedAsync(string documentId, string op = "upsert") => ScalarAsync(
        $"SELECT count(*) FROM {OutboxLog.Table} WHERE tenant_id = $1 AND kind = 'document.index' AND payload->>'documentId' = $2 AND payload->>'op' = $3",
        Partner.TestTenantId, documentId, op);

    protected static string[] Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(Id)];

    protected static Dictionary<string, object?> Merge(Dictionary<string, object?> baseline, object? extra)
    {
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializer.SerializeToElement(extra).EnumerateObject().Select(p => (p.Name, p.Value)))
            {
                baseline[key] = value;
            }
        }

        return baseline;
    }
}

/// <summary>How many rows a tenant has in each table a document write touches.</summary>
public sealed record DocumentRows(long Documents, long Lookups, long Versions, long Outbox, long Tombstones, long Tickets, long Blobs);
