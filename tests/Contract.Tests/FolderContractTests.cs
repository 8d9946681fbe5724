using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>Every folder operation, over real HTTP, for each status it can produce that the spec declares.</summary>
public sealed class FolderContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Create_folder()
    {
        var created = await Client.PostAsJsonAsync("/v1/folders", new { name = "Contract", description = "d", userId = Guid.NewGuid() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ContractAssert.MatchesResponseAsync("createFolder", created);

        var existing = await Client.PostAsJsonAsync("/v1/folders", new { name = "Contract" });
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        await ContractAssert.MatchesResponseAsync("createFolder", existing);

        var upserted = await Client.PostAsJsonAsync("/v1/folders?upsert=true", new { name = "Contract", description = "new" });
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        await ContractAssert.MatchesResponseAsync("createFolder", upserted);

        var bad = await Client.PostAsJsonAsync("/v1/folders", new { name = "x", slug = "Not Valid" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("createFolder", bad);
    }

    [SpecFact]
    public async Task List_folders()
    {
        var parent = await CreateAsync("Parent");
        await Client.PostAsJsonAsync("/v1/folders", new { name = "Child", parentFolderId = parent, orgId = Guid.NewGuid() });

        var first = await Client.GetAsync("/v1/folders?limit=1");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await ContractAssert.MatchesResponseAsync("listFolders", first);
        await ContractAssert.MatchesResponseAsync("listFolders", await Client.GetAsync("/v1/folders"));
        await ContractAssert.MatchesResponseAsync("listFolders", await Client.GetAsync($"/v1/folders?parentFolderId={parent}"));
        await ContractAssert.MatchesResponseAsync("listFolders", await Client.GetAsync($"/v1/folders?userId={Guid.NewGuid()}"));
    }

    [SpecFact]
    public async Task Get_folder()
    {
        var id = await CreateAsync("Gettable");
        var root = await RootIdAsync();
        await ContractAssert.MatchesResponseAsync("getFolder", await Client.GetAsync($"/v1/folders/{id}"));
        await ContractAssert.MatchesResponseAsync("getFolder", await Client.GetAsync($"/v1/folders/{root}"));

        var missing = await Client.GetAsync($"/v1/folders/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("getFolder", missing);
    }

    [SpecFact]
    public async Task Update_folder()
    {
        var id = await CreateAsync("Updatable");
        var updated = await Client.PutAsJsonAsync($"/v1/folders/{id}", new { name = "Updated", description = "d" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await ContractAssert.MatchesResponseAsync("updateFolder", updated);

        var missing = await Client.PutAsJsonAsync($"/v1/folders/{Guid.CreateVersion7()}", new { name = "x" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("updateFolder", missing);
    }

    [SpecFact]
    public async Task Patch_folder()
    {
        var id = await CreateAsync("Patchable");
        var patched = await Client.SendAsync(Patch(id, """{"name":"Patched","expectedVersion":1}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        await ContractAssert.MatchesResponseAsync("patchFolder", patched);

        var conflict = await Client.SendAsync(Patch(id, """{"name":"Again","expectedVersion":1}"""));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        await ContractAssert.MatchesResponseAsync("patchFolder", conflict);

        var immutable = await Client.SendAsync(Patch(id, """{"slug":"moved"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, immutable.StatusCode);
        await ContractAssert.MatchesResponseAsync("patchFolder", immutable);

        var nulled = await Client.SendAsync(Patch(id, """{"name":null}"""));
        Assert.Equal(HttpStatusCode.BadRequest, nulled.StatusCode);
        await ContractAssert.MatchesResponseAsync("patchFolder", nulled);

        var missing = await Client.SendAsync(Patch(Guid.CreateVersion7().ToString(), """{"name":"x"}"""));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("patchFolder", missing);
    }

    [SpecFact]
    public async Task Delete_folder()
    {
        var parent = await CreateAsync("Deletable");
        var child = (await (await Client.PostAsJsonAsync("/v1/folders", new { name = "Child", parentFolderId = parent }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var notEmpty = await Client.DeleteAsync($"/v1/folders/{parent}");
        Assert.Equal(HttpStatusCode.BadRequest, notEmpty.StatusCode);
        await ContractAssert.MatchesResponseAsync("deleteFolder", notEmpty);

        var protectedRoot = await Client.DeleteAsync($"/v1/folders/{await RootIdAsync()}");
        Assert.Equal(HttpStatusCode.BadRequest, protectedRoot.StatusCode);
        await ContractAssert.MatchesResponseAsync("deleteFolder", protectedRoot);

        var deleted = await Client.DeleteAsync($"/v1/folders/{child}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ContractAssert.MatchesResponseAsync("deleteFolder", deleted);

        var missing = await Client.DeleteAsync($"/v1/folders/{child}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("deleteFolder", missing);
    }

    [SpecFact]
    public async Task Get_folder_versions()
    {
        var id = await CreateAsync("Versioned");
        await Client.PutAsJsonAsync($"/v1/folders/{id}", new { name = "Versioned 2", description = "d" });
        await Client.SendAsync(Patch(id, $$"""{"userId":"{{Guid.NewGuid()}}"}"""));
        await Client.DeleteAsync($"/v1/folders/{id}");

        var versions = await Client.GetAsync($"/v1/folders/{id}/versions");
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        await ContractAssert.MatchesResponseAsync("getFolderVersions", versions);

        var paged = await Client.GetAsync($"/v1/folders/{id}/versions?limit=1");
        await ContractAssert.MatchesResponseAsync("getFolderVersions", paged);

        var missing = await Client.GetAsync($"/v1/folders/{Guid.CreateVersion7()}/versions");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("getFolderVersions", missing);
    }

    private async Task<string> CreateAsync(string name)
    {
        var response = await Client.PostAsJsonAsync("/v1/folders", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<string> RootIdAsync()
    {
        var page = await (await Client.GetAsync("/v1/folders?limit=100")).Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("data").EnumerateArray().Single(f => f.GetProperty("depth").GetInt32() == 0).GetProperty("id").GetString()!;
    }

    private static HttpRequestMessage Patch(string id, string json) =>
        new(HttpMethod.Patch, $"/v1/folders/{id}") { Content = new StringContent(json, Encoding.UTF8, "application/merge-patch+json") };
}
