using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;
using static Vectros.Api.Tests.ScopedCredentials;

namespace Vectros.Api.Tests;

/// <summary>
/// The data scope of scoped callers on documents (issue #9 item 7), through real <c>st_</c> tokens: reads outside it
/// are the same 404 as missing and lists leave them out; creates are stamped with the credential's identity and their
/// placement checked (403); an update's ownership leaving the scope is 400, reassigning userId 403; an idempotent
/// collision answers only with read on the holder (else 400); reveal needs <c>documents:s:&lt;type&gt;</c>. A refusal
/// writes nothing.
/// </summary>
public sealed class DocumentDataScopeTests : DocumentTestBase
{
    private static readonly string[] DocumentActions = ["documents:crud", "folders:r"];

    private async Task<(string Me, string Other, HttpClient Narrow)> NarrowAsync(string[]? actions = null)
    {
        var me = await CreateUserAsync(Client);
        var other = await CreateUserAsync(Client);
        var token = await MintAsync(Client, actions ?? DocumentActions, OwnUser, userId: me);
        return (me, other, Server.CreateClient(token));
    }

    private static async Task<(HttpStatusCode Status, string? Code)> StatusAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        var code = text.Length > 0 && JsonDocument.Parse(text).RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("errorCode", out var c)
            ? c.GetString()
            : null;
        return (response.StatusCode, code);
    }

    [Fact]
    public async Task A_narrow_token_reads_and_lists_only_its_own_documents_and_the_rest_is_missing()
    {
        var (me, other, narrow) = await NarrowAsync();
        using var _ = narrow;
        var foreign = Id(await IngestTextAsync("foreign", extra: new { userId = other }));
        var tenantLevel = Id(await IngestTextAsync("tenant"));

        var mine = await IngestAsync(new { title = "mine", text = "t", indexMode = "TEXT" }, narrow);
        Assert.Equal(me, mine.GetProperty("userId").GetString());
        await ExpectAsync(await narrow.GetAsync($"/v1/documents/{Id(mine)}"), HttpStatusCode.OK);

        var missing = await StatusAsync(narrow.GetAsync($"/v1/documents/{Guid.CreateVersion7()}"));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        foreach (var id in new[] { foreign, tenantLevel })
        {
            Assert.Equal(missing, await StatusAsync(narrow.GetAsync($"/v1/documents/{id}")));
            Assert.Equal(missing, await StatusAsync(narrow.GetAsync($"/v1/documents/{id}/text")));
            Assert.Equal(missing, await StatusAsync(narrow.GetAsync($"/v1/documents/{id}/versions")));
            Assert.Equal(missing, await StatusAsync(narrow.PutAsJsonAsync($"/v1/documents/{id}", new { title = "x" })));
            Assert.Equal(missing, await StatusAsync(PatchAsync(narrow, $"/v1/documents/{id}", new { title = "x" })));
            Assert.Equal(missing, await StatusAsync(narrow.DeleteAsync($"/v1/documents/{id}")));
        }

        Assert.Equal([Id(mine)], Ids(await ExpectAsync(await narrow.GetAsync("/v1/documents"), HttpStatusCode.OK)));
        Assert.Equal(3, Ids(await ExpectAsync(await Client.GetAsync("/v1/documents"), HttpStatusCode.OK)).Length);
        Assert.Equal("foreign", (await ExpectAsync(await Client.GetAsync($"/v1/documents/{foreign}"), HttpStatusCode.OK)).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Placement_outside_the_data_scope_is_403_on_create_and_400_or_403_on_update_and_writes_nothing()
    {
        var (me, other, narrow) = await NarrowAsync();
        using var _ = narrow;
        var mine = Id(await IngestAsync(new { title = "mine", text = "t", indexMode = "TEXT" }, narrow));
        var before = await DocumentRowsAsync();

        await ExpectAsync(await narrow.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", indexMode = "TEXT", userId = other }), HttpStatusCode.Forbidden);
        await ExpectAsync(await narrow.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", indexMode = "TEXT", scopes = new[] { "team:red" } }), HttpStatusCode.Forbidden);
        await ExpectAsync(await narrow.PostAsJsonAsync("/v1/documents/upload", new { fileName = "a.pdf", fileType = "application/pdf", indexMode = "TEXT", userId = other }), HttpStatusCode.Forbidden);

        // Reassigning userId → 403; an ownership that otherwise leaves data_scope → 400 (API-DELTA §1).
        await ExpectAsync(await PatchAsync(narrow, $"/v1/documents/{mine}", new { userId = other }), HttpStatusCode.Forbidden);
        var leaves = await ExpectAsync(await narrow.PutAsJsonAsync($"/v1/documents/{mine}", new { scopes = new[] { "team:red" } }), HttpStatusCode.BadRequest);
        Assert.Equal("scopes", leaves.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());

        // An unchanged ownership places nothing: ordinary updates go through.
        var renamed = await ExpectAsync(await PatchAsync(narrow, $"/v1/documents/{mine}", new { title = "renamed" }), HttpStatusCode.OK);
        Assert.Equal(me, renamed.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Creates_and_uploads_are_stamped_with_the_credential_identity()
    {
        var me = await CreateUserAsync(Client);
        var token = await MintAsync(Client, DocumentActions,
            new Dictionary<string, string[]> { ["userId"] = ["${{ self.userId }}"], ["scope:team"] = ["${{ self.scope.team }}"] },
            userId: me, identity: new Dictionary<string, string> { ["scope:team"] = "blue" });
        using var stamped = Server.CreateClient(token);

        var text = await IngestAsync(new { title = "t", text = "t", indexMode = "TEXT" }, stamped);
        Assert.Equal(me, text.GetProperty("userId").GetString());
        Assert.Equal(["team:blue"], text.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());

        var upload = await stamped.PostAsJsonAsync("/v1/documents/upload", new { fileName = "a.pdf", fileType = "application/pdf", indexMode = "TEXT" });
        var started = await ExpectAsync(upload, HttpStatusCode.Created);
        var file = await ExpectAsync(await stamped.GetAsync($"/v1/documents/{Id(started)}"), HttpStatusCode.OK);
        Assert.Equal(me, file.GetProperty("userId").GetString());
        Assert.Equal(["team:blue"], file.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());

        // The identity is the default stamp, not a licence: another team is outside the data scope.
        await ExpectAsync(await stamped.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", indexMode = "TEXT", scopes = new[] { "team:red" } }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_wide_token_reads_everything_but_places_only_tenant_level_documents()
    {
        var other = await CreateUserAsync(Client);
        var foreign = Id(await IngestTextAsync("foreign", extra: new { userId = other }));
        using var wide = Server.CreateClient(await MintAsync(Client, ["*"]));

        await ExpectAsync(await wide.GetAsync($"/v1/documents/{foreign}"), HttpStatusCode.OK);
        var created = await IngestAsync(new { title = "t", text = "t", indexMode = "TEXT" }, wide);
        Assert.False(created.TryGetProperty("userId", out var owner) && owner.ValueKind != JsonValueKind.Null);
        await ExpectAsync(await wide.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", indexMode = "TEXT", userId = other }), HttpStatusCode.Forbidden);
        Assert.Equal(2, Ids(await ExpectAsync(await wide.GetAsync("/v1/documents"), HttpStatusCode.OK)).Length);
    }

    [Fact]
    public async Task An_idempotent_collision_answers_with_the_holder_only_when_the_caller_may_read_it()
    {
        var (_, other, narrow) = await NarrowAsync();
        using var _ = narrow;
        await IngestTextAsync("theirs", extra: new { userId = other, externalId = "ext-theirs" });
        var before = await DocumentRowsAsync();
        var collision = await ExpectAsync(await narrow.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", externalId = "ext-theirs" }), HttpStatusCode.BadRequest);
        Assert.Equal("externalId", collision.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());

        var first = await IngestAsync(new { title = "t", text = "t", indexMode = "TEXT", externalId = "ext-mine" }, narrow);
        var again = await ExpectAsync(await narrow.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", externalId = "ext-mine" }), HttpStatusCode.OK);
        Assert.Equal(Id(first), Id(again));
        Assert.False(again.GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task A_folder_outside_the_data_scope_is_not_found_for_a_document()
    {
        var (_, other, narrow) = await NarrowAsync();
        using var _ = narrow;
        var folder = await ExpectAsync(await Client.PostAsJsonAsync("/v1/folders", new { name = "Theirs", userId = other }), HttpStatusCode.Created);
        var before = await DocumentRowsAsync();
        var refused = await ExpectAsync(await narrow.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", folderId = Id(folder) }), HttpStatusCode.BadRequest);
        Assert.Equal("folderId", refused.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());
    }

    [Fact]
    public async Task Reveal_needs_a_documents_s_grant_on_the_document_and_root_never_reveals()
    {
        await CreateDocumentSchemaAsync("patient_note", [new { fieldId = "mrn", fieldType = "string", sensitive = true }]);
        var me = await CreateUserAsync(Client);
        var id = Id(await IngestAsync(new { title = "t", text = "t", typeName = "patient_note", userId = me, payload = new { mrn = "MRN-4242" } }));

        using var revealer = Server.CreateClient(await MintAsync(Client, ["documents:r", "documents:s:patient_note"], OwnUser, userId: me));
        using var reader = Server.CreateClient(await MintAsync(Client, ["documents:r"], OwnUser, userId: me));
        string Mrn(JsonElement d) => d.GetProperty("payload").GetProperty("mrn").GetString()!;

        Assert.Equal("MRN-4242", Mrn(await ExpectAsync(await revealer.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK)));
        Assert.Equal("MRN-4242", Mrn((await ExpectAsync(await revealer.GetAsync("/v1/documents"), HttpStatusCode.OK)).GetProperty("data")[0]));
        Assert.Equal("[redacted]", Mrn(await ExpectAsync(await reader.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK)));
        Assert.Equal("[redacted]", Mrn(await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK)));

        // The grant is bound to the data scope: a revealer of its own user's documents cannot see another's at all.
        var other = await CreateUserAsync(Client);
        var theirs = Id(await IngestAsync(new { title = "t", text = "t", typeName = "patient_note", userId = other, payload = new { mrn = "MRN-7777" } }));
        await ExpectAsync(await revealer.GetAsync($"/v1/documents/{theirs}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Search_results_never_carry_a_sensitive_value_even_for_a_revealer()
    {
        await CreateDocumentSchemaAsync("patient_note", [new { fieldId = "mrn", fieldType = "string", sensitive = true }]);
        var me = await CreateUserAsync(Client);
        var id = Id(await IngestAsync(new
        {
            title = "ward round", text = "Ward round notes about the lighthouse patient", typeName = "patient_note", userId = me, payload = new { mrn = "MRN-5150" },
        }));
        await IndexedAsync(id);

        using var revealer = Server.CreateClient(await MintAsync(Client, ["search:r", "documents:r", "documents:s:patient_note"], OwnUser, userId: me));
        foreach (var client in new[] { revealer, Client })
        {
            foreach (var query in new[] { "lighthouse", "MRN-5150" })
            {
                var response = await ExpectAsync(await client.PostAsJsonAsync("/v1/search", new { query, mode = "HYBRID" }), HttpStatusCode.OK);
                Assert.DoesNotContain("MRN-5150", response.GetRawText(), StringComparison.Ordinal);
            }
        }

        var found = await ExpectAsync(await revealer.PostAsJsonAsync("/v1/search", new { query = "lighthouse", mode = "TEXT" }), HttpStatusCode.OK);
        Assert.Contains(found.GetProperty("results").EnumerateArray(), r => r.GetProperty("documentId").GetString() == id);
    }
}
