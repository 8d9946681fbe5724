using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Erasure;

/// <summary>
/// Helpers for the erasure tests: a subject with solely owned, shared and referenced data in two contexts, requests
/// submitted and polled over HTTP, and row counts read from the database.
/// </summary>
public abstract class ErasureTestBase : DocumentTestBase
{
    protected const string SecondContext = "second-app";

    /// <summary>The data of one seeded subject (user <see cref="User"/>) and its neighbours.</summary>
    protected sealed record Seeded(
        Guid User, Guid Other, Guid Org, Guid Solely, Guid Shared, Guid OthersRecord, Guid Referrer, Guid InFolder,
        Guid Folder, Guid TextDocument, Guid FileDocument, Guid SecondContextRecord);

    protected async Task<Guid> CreateUserAsync()
    {
        var response = await Client.PostAsJsonAsync("/v1/users", new { externalId = "u-" + Guid.NewGuid().ToString("N"), type = "SERVICE" });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return Guid.Parse(body.GetProperty("id").GetString()!);
    }

    /// <summary>
    /// User U solely owns a record (indexed, with a lookup row and two versions), a folder, a text document (indexed)
    /// and a file document (a blob) in <c>default</c>, and a record in <see cref="SecondContext"/>; it shares a record
    /// with an org; user V's records reference U's record and sit in U's folder.
    /// </summary>
    protected async Task<Seeded> SeedAsync()
    {
        await CreateSchemaAsync(new
        {
            typeName = "note",
            displayName = "Note",
            indexMode = "TEXT",
            fields = new object[]
            {
                new { fieldId = "name", fieldType = "string", searchable = true },
                new { fieldId = "link", fieldType = "reference", targetTypeName = "note", targetSurface = "record", targetField = "id" },
            },
            lookupFields = new object[] { "name" },
        });
        var user = await CreateUserAsync();
        var other = await CreateUserAsync();
        var org = await CreateOrgAsync();
        var solely = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "note", userId = user, payload = new { name = "Ann Erasable" } })));
        await ExpectAsync(await Client.PatchAsync($"/v1/records/{solely}",
            RawJson("""{"payload": {"name": "Ann Erasable Two"}}""")), HttpStatusCode.OK);
        var shared = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "note", userId = user, orgId = org, payload = new { name = "Shared" } })));
        var others = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "note", userId = other, payload = new { name = "Bob" } })));
        var referrer = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "note", userId = other, payload = new { name = "Ref", link = solely } })));
        var folder = await ExpectAsync(await Client.PostAsJsonAsync("/v1/folders", new { name = "Ann's", userId = user }), HttpStatusCode.Created);
        var folderId = Guid.Parse(Id(folder));
        var inFolder = Guid.Parse(Id(await CreateRecordAsync(new { typeName = "note", userId = other, folderId, payload = new { name = "Inside" } })));
        var text = Id(await IngestTextAsync("Ann's note", "Ann Erasable wrote this private note.", new { userId = user }));

        var upload = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/upload",
            new { fileName = "ann.txt", fileType = "text/plain", indexMode = "TEXT", userId = user }), HttpStatusCode.Created);
        using (var anonymous = Server.CreateClient())
        {
            var bytes = new ByteArrayContent(Encoding.UTF8.GetBytes("Ann Erasable's uploaded file"));
            bytes.Headers.ContentType = new("text/plain");
            await ExpectAsync(await anonymous.PutAsync(upload.GetProperty("uploadUrl").GetString(), bytes), HttpStatusCode.OK);
        }

        var file = Id(upload);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = SecondContext, name = "Second" }), HttpStatusCode.Created);
        var second = Guid.CreateVersion7();
        await ExecuteAsync(
            "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, user_id, created_by) VALUES ($1, $2, $3, 'note', '{}', $4, 'test')",
            Partner.TestTenantId, SecondContext, second, user);

        await IndexedAsync(text);
        await IndexedAsync(file);
        await Poll.UntilAsync(async () => await ScalarAsync(
            "SELECT count(*) FROM chunks WHERE tenant_id = $1 AND source_id = $2", Partner.TestTenantId, solely) > 0, "the record indexed");
        return new Seeded(user, other, org, solely, shared, others, referrer, inFolder, folderId, Guid.Parse(text), Guid.Parse(file), second);
    }

    /// <summary>Submits a request, asserts 202, and returns its id.</summary>
    protected async Task<string> SubmitAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/erasure-requests", request);
        var body = await ExpectAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        return body.GetProperty("requestId").GetString()!;
    }

    /// <summary>Polls until the request completed (or failed, which fails the test) and returns the response.</summary>
    protected async Task<JsonElement> CompletedAsync(string requestId, HttpClient? client = null)
    {
        JsonElement last = default;
        await Poll.UntilAsync(async () =>
        {
            last = await ExpectAsync(await (client ?? Client).GetAsync($"/v1/erasure-requests/{requestId}"), HttpStatusCode.OK);
            var status = last.GetProperty("status").GetString();
            Assert.NotEqual("failed", status);
            return status == "completed";
        }, $"erasure {requestId} completed");
        return last;
    }

    protected async Task<JsonElement> EraseAsync(object request) => (await CompletedAsync(await SubmitAsync(request))).GetProperty("certificate");

    protected Task<long> CountAsync(string table, string column, Guid id) =>
        ScalarAsync($"SELECT count(*) FROM {table} WHERE tenant_id = $1 AND {column} = $2", Partner.TestTenantId, id);

    /// <summary>Every row of the partner's test tenant in the tables erasure touches, to show a refusal or a dry run wrote nothing.</summary>
    protected async Task<string> SnapshotAsync(bool withRequests = true)
    {
        var tables = new[]
        {
            "records", "record_lookups", "record_references", "documents", "document_lookups", "folders", "chunks", "blobs",
            "entity_versions", "users", "entities", "events",
        }.Concat(withRequests ? ["erasure_requests"] : []);
        var counts = new List<string>();
        foreach (var table in tables)
        {
            counts.Add($"{table}={await ScalarAsync($"SELECT count(*) FROM {table} WHERE tenant_id = $1", Partner.TestTenantId)}");
        }

        counts.Add($"redacted={await ScalarAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND redacted_at IS NOT NULL", Partner.TestTenantId)}");
        return string.Join(", ", counts);
    }
}
