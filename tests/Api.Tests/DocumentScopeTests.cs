using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Ownership and permissions on documents: the 0.40 <c>scopes</c> and the 0.31 orgId/clientId as one model (DESIGN §5a),
/// the parent check on entity-backed namespaces, the <c>documents:r|c|u|d</c> grants and the idempotent-create read gate.
/// Only root keys exist over HTTP, so scoped callers call the grains directly, as the front end would.
/// </summary>
public sealed class DocumentScopeTests : DocumentTestBase
{
    private static string[] Scopes(JsonElement document) => [.. document.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task Scopes_and_org_and_client_ids_are_one_ownership_model()
    {
        var org = await CreateOrgAsync();
        var client = await CreateClientAsync();
        var legacy = await IngestTextAsync("legacy", "t", new { orgId = org, clientId = client });
        Assert.Equal([$"client:{client}", $"org:{org}"], Scopes(legacy));
        Assert.Equal(org.ToString(), legacy.GetProperty("orgId").GetString());
        Assert.Equal(client.ToString(), legacy.GetProperty("clientId").GetString());

        var modern = await IngestTextAsync("modern", "t", new { scopes = new[] { "team:blue", $"org:{org}" } });
        Assert.Equal([$"org:{org}", "team:blue"], Scopes(modern));
        Assert.Equal(org.ToString(), modern.GetProperty("orgId").GetString());

        Assert.Equal([Id(modern)], Ids(await ExpectAsync(await Client.GetAsync("/v1/documents?scope=team:blue"), HttpStatusCode.OK)));
        Assert.Equal([Id(legacy), Id(modern)], Ids(await ExpectAsync(await Client.GetAsync($"/v1/documents?orgId={org}"), HttpStatusCode.OK)));

        // A PUT sets the 0.31 field on top of the scopes the document has; a 0.40 declaration replaces them whole.
        var team = await IngestTextAsync("team", "t", new { scopes = new[] { "team:red" } });
        var withClient = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{Id(team)}", new { clientId = client }), HttpStatusCode.OK);
        Assert.Equal([$"client:{client}", "team:red"], Scopes(withClient));
        var replaced = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{Id(team)}", new { scopes = Array.Empty<string>() }), HttpStatusCode.OK);
        Assert.Empty(Scopes(replaced));
    }

    [Fact]
    public async Task Entity_backed_scopes_must_name_an_existing_entity_and_both_forms_together_are_refused()
    {
        var before = await DocumentRowsAsync();
        var missingOrg = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", scopes = new[] { $"org:{Guid.NewGuid()}" } }), HttpStatusCode.BadRequest);
        Assert.Equal("scopes", missingOrg.GetProperty("details").GetProperty("field").GetString());
        var both = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", scopes = new[] { "team:a" }, orgId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.Equal("scopes", both.GetProperty("details").GetProperty("field").GetString());
        var tooMany = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", scopes = new[] { "a1:x", "b1:y", "c1:z" } }), HttpStatusCode.BadRequest);
        Assert.Equal("scopes", tooMany.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());
    }

    [Fact]
    public async Task Each_verb_needs_its_documents_grant()
    {
        var id = Id(await IngestTextAsync());
        var reader = Scoped("documents:r");
        var grain = Grains.GetGrain<IDocumentGrain>(reader.KeyFor(id));
        Assert.Equal("Note", (await grain.GetAsync(reader)).Title);
        await Assert.ThrowsAsync<ForbiddenException>(() => grain.UpdateAsync(reader, new DocumentWrite { Title = "x" }));
        await Assert.ThrowsAsync<ForbiddenException>(() => grain.DeleteAsync(reader));

        // Without read, the document is not there at all.
        var stranger = Scoped("records:crud", "documents:c");
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.DeleteAsync(stranger));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetTextAsync(stranger));

        var fresh = Grains.GetGrain<IDocumentGrain>(reader.KeyFor(Guid.CreateVersion7().ToString()));
        var write = new DocumentWrite { Title = "t", Text = "t", IndexMode = "TEXT" };
        await Assert.ThrowsAsync<ForbiddenException>(() => fresh.CreateAsync(reader, write, upsert: false));
        await Assert.ThrowsAsync<ForbiddenException>(() => fresh.CreateAsync(Scoped("documents:c"), write, upsert: true));
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            Grains.GetGrain<IDocumentQueryGrain>(stranger.ContextKey).ListAsync(stranger, new DocumentListQuery()));

        var updater = Scoped("documents:ru");
        Assert.Equal("x", (await Grains.GetGrain<IDocumentGrain>(updater.KeyFor(id)).UpdateAsync(updater, new DocumentWrite { Title = "x" })).Title);
        var deleter = Scoped("documents:rd");
        await Grains.GetGrain<IDocumentGrain>(deleter.KeyFor(id)).DeleteAsync(deleter);
    }

    [Fact]
    public async Task A_collision_answers_the_existing_document_only_to_a_caller_that_may_read_it()
    {
        var existing = Id(await IngestTextAsync("Existing", "a", new { externalId = "ext-1" }));
        Task<DocumentCreateResult> CreateAsync(CallerContext caller, bool upsert = false) =>
            Grains.GetGrain<IDocumentGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()))
                .CreateAsync(caller, new DocumentWrite { Title = "New", Text = "b", IndexMode = "TEXT", ExternalId = "ext-1" }, upsert);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("documents:c")));
        Assert.Equal("externalId", refused.Field);
        Assert.Contains("already in use", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("documents:cu"), upsert: true));

        var allowed = await CreateAsync(Scoped("documents:cr"));
        Assert.False(allowed.Created);
        Assert.Equal(existing, allowed.Document.Id.ToString());
        Assert.False((await CreateAsync(RootCaller)).Created);

        var doc = await ExpectAsync(await Client.GetAsync($"/v1/documents/{existing}"), HttpStatusCode.OK);
        Assert.Equal("Existing", doc.GetProperty("title").GetString());
        Assert.Equal(1, doc.GetProperty("version").GetInt64());
        Assert.Equal(1, (await DocumentRowsAsync()).Documents);
    }

    [Fact]
    public async Task A_re_upload_needs_read_to_find_the_document_and_update_to_replace_its_file()
    {
        var upload = new DocumentUpload { FileName = "a.txt", FileType = "text/plain", IndexMode = "TEXT", ExternalId = "file-ext" };
        var first = await Grains.GetGrain<IDocumentGrain>(RootCaller.KeyFor(Guid.CreateVersion7().ToString())).StartUploadAsync(RootCaller, upload, upsert: false);
        Task<DocumentUploadResult> AgainAsync(CallerContext caller) =>
            Grains.GetGrain<IDocumentGrain>(caller.KeyFor(Guid.CreateVersion7().ToString())).StartUploadAsync(caller, upload, upsert: false);

        var hidden = await Assert.ThrowsAsync<ValidationException>(() => AgainAsync(Scoped("documents:c")));
        Assert.Contains("already in use", hidden.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() => AgainAsync(Scoped("documents:cr")));
        Assert.Equal(1, (await DocumentRowsAsync()).Tickets);

        var again = await AgainAsync(Scoped("documents:cru"));
        Assert.False(again.Created);
        Assert.Equal(first.Document.Id, again.Document.Id);
        Assert.NotEqual(first.Ticket.TicketId, again.Ticket.TicketId);
        Assert.Equal(2, (await DocumentRowsAsync()).Tickets);
    }
}
