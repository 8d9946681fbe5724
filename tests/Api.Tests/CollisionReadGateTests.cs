using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// An idempotent create that collides with an existing item answers that item (200, created:false) only to a caller
/// that may read it; anyone else gets a uniform 400 "already in use" (API-DELTA §1 "Idempotent-create collision").
/// Root keys are exempt. Only root keys exist over HTTP today, so scoped callers are made by hand and the grains
/// called directly, as the front end would call them.
/// </summary>
public sealed class CollisionReadGateTests : ApiTestBase
{
    private IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    private CallerContext Scoped(params string[] actions) => new(Partner.TestTenantId, "default", "ssk_test_collision", IsRoot: false, actions);

    private CallerContext Root => new(Partner.TestTenantId, "default", "sk_test_collision", IsRoot: true, []);

    [Fact]
    public async Task A_record_collision_needs_read_on_the_type()
    {
        await CreateSchemaAsync(new { typeName = "note", displayName = "Note", fields = new[] { new { fieldId = "topic", fieldType = "string" } } });
        var existing = await JsonAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", externalId = "ext-1", payload = new { topic = "a" } }));
        var existingId = existing.GetProperty("id").GetString();

        Task<RecordCreateResult> CreateAsync(CallerContext caller, bool upsert = false) =>
            Grains.GetGrain<IRecordGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()))
                .CreateAsync(caller, new RecordWrite { TypeName = "note", ExternalId = "ext-1", Payload = new JsonObject { ["topic"] = "b" } }, upsert);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("records:c:note")));
        AssertAlreadyInUse(refused, "externalId");
        AssertAlreadyInUse(await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("records:c:note", "records:u:note"), upsert: true)), "externalId");

        // Read on another type does not count.
        AssertAlreadyInUse(await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("records:c:note", "records:r:other"))), "externalId");

        var allowed = await CreateAsync(Scoped("records:c:note", "records:r:note"));
        Assert.False(allowed.Created);
        Assert.Equal(existingId, allowed.Record.Id.ToString());

        var root = await CreateAsync(Root);
        Assert.False(root.Created);
        Assert.Equal(existingId, root.Record.Id.ToString());

        // Nothing was written by the refused or answered creates: the record is unchanged and alone.
        var page = await JsonAsync(await Client.GetAsync("/v1/records?type=note&includePayload=true"));
        var only = Assert.Single(page.GetProperty("data").EnumerateArray());
        Assert.Equal("a", only.GetProperty("payload").GetProperty("topic").GetString());
        Assert.Equal(1, only.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task A_folder_collision_needs_folders_read()
    {
        var existing = await JsonAsync(await Client.PostAsJsonAsync("/v1/folders", new { name = "Reports" }));
        var existingId = existing.GetProperty("id").GetString();

        Task<FolderCreateResult> CreateAsync(CallerContext caller, bool upsert = false) =>
            Grains.GetGrain<IFolderDirectoryGrain>(caller.ContextKey).CreateAsync(caller, new CreateFolderCommand(
                Name: "Reports (again)", Description: null, Slug: "reports", ParentFolderId: null, UserId: null, OrgId: null, ClientId: null, Upsert: upsert));

        AssertAlreadyInUse(await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("folders:c"))), "slug");
        AssertAlreadyInUse(await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("folders:c", "folders:u"), upsert: true)), "slug");

        var allowed = await CreateAsync(Scoped("folders:c", "folders:r"));
        Assert.False(allowed.Created);
        Assert.Equal(existingId, allowed.Folder.Id.ToString());
        Assert.False((await CreateAsync(Root)).Created);

        var folder = await JsonAsync(await Client.GetAsync($"/v1/folders/{existingId}"));
        Assert.Equal("Reports", folder.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_schema_collision_needs_schemas_read()
    {
        var existing = await CreateSchemaAsync(new { typeName = "memo", displayName = "Memo" });
        var existingId = existing.GetProperty("id").GetString();

        Task<SchemaCreateResult> CreateAsync(CallerContext caller, bool upsert = false) =>
            Grains.GetGrain<ISchemaGrain>(caller.KeyFor("memo")).CreateAsync(caller, new SchemaDefinition { DisplayName = "Memo (again)" }, upsert);

        AssertAlreadyInUse(await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("schemas:w"))), "typeName");
        AssertAlreadyInUse(await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("schemas:w"), upsert: true)), "typeName");

        var allowed = await CreateAsync(Scoped("schemas:w", "schemas:r"));
        Assert.False(allowed.Created);
        Assert.Equal(existingId, allowed.Schema.Id.ToString());
        Assert.False((await CreateAsync(Root)).Created);

        var schema = await JsonAsync(await Client.GetAsync($"/v1/schemas/{existingId}"));
        Assert.Equal("Memo", schema.GetProperty("displayName").GetString());
        Assert.Equal(1, schema.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public async Task Root_keys_still_get_the_existing_item_over_http()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/folders", new { name = "Inbox" })).StatusCode);
        var again = await Client.PostAsJsonAsync("/v1/folders", new { name = "Inbox" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await JsonAsync(again)).GetProperty("created").GetBoolean());
    }

    /// <summary>One message for every refused collision, naming the key and nothing of the existing item.</summary>
    private static void AssertAlreadyInUse(ValidationException refused, string field)
    {
        Assert.Equal(field, refused.Field);
        Assert.Equal("VALIDATION_ERROR", refused.ErrorCode);
        Assert.Contains("already in use", refused.Message, StringComparison.Ordinal);
    }
}
