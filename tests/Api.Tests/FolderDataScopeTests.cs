using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;
using static Vectros.Api.Tests.ScopedCredentials;

namespace Vectros.Api.Tests;

/// <summary>
/// The data scope of scoped callers on folders (issue #9 item 7), through real <c>st_</c> tokens: outside it a folder
/// is the same 404 as a missing one and lists leave it out; creates are stamped and their placement checked (403);
/// naming a parent outside it is the uniform 400 "Folder not found"; an update reassigning userId is 403, leaving the
/// scope otherwise 400; a collision answers only with read on the holder. A refusal writes nothing.
/// </summary>
public sealed class FolderDataScopeTests : FolderTestBase
{
    private async Task<(string Me, string Other, HttpClient Narrow)> NarrowAsync()
    {
        var me = await CreateUserAsync(Client);
        var other = await CreateUserAsync(Client);
        return (me, other, Server.CreateClient(await MintAsync(Client, ["folders:crud"], OwnUser, userId: me)));
    }

    private static string[] Ids(JsonElement page) => [.. page.GetProperty("data").EnumerateArray().Select(Id)];

    [Fact]
    public async Task A_narrow_token_sees_only_its_own_folders_and_the_rest_is_missing()
    {
        var (me, other, narrow) = await NarrowAsync();
        using var _ = narrow;
        var theirs = Id(await CreateFolderAsync(new { name = "Theirs", userId = other }));
        var mine = await CreateFolderAsync(new { name = "Mine" }, narrow);
        Assert.Equal(me, mine.GetProperty("userId").GetString());

        var missing = await narrow.GetAsync($"/v1/folders/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var code = (await JsonAsync(missing)).GetProperty("errorCode").GetString();
        foreach (var call in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => narrow.GetAsync($"/v1/folders/{theirs}"),
                     () => narrow.GetAsync($"/v1/folders/{theirs}/versions"),
                     () => narrow.PutAsJsonAsync($"/v1/folders/{theirs}", new { name = "x" }),
                     () => narrow.SendAsync(Patch(theirs, """{"name":"x"}""")),
                     () => narrow.DeleteAsync($"/v1/folders/{theirs}"),
                 })
        {
            var response = await call();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal(code, (await JsonAsync(response)).GetProperty("errorCode").GetString());
        }

        // The context root has no owner, so a caller confined to its user does not see it either; the root key sees all.
        Assert.Equal([Id(mine)], Ids(await JsonAsync(await narrow.GetAsync("/v1/folders?limit=100"))));
        Assert.Equal(3, Ids(await JsonAsync(await Client.GetAsync("/v1/folders?limit=100"))).Length);
    }

    [Fact]
    public async Task Placement_and_parent_references_outside_the_data_scope_are_refused_and_write_nothing()
    {
        var (_, other, narrow) = await NarrowAsync();
        using var _ = narrow;
        var theirs = Id(await CreateFolderAsync(new { name = "Theirs", userId = other }));
        var mine = Id(await CreateFolderAsync(new { name = "Mine" }, narrow));
        var before = await CountRowsAsync();

        await CreateFolderAsync(new { name = "For them", userId = other }, narrow, HttpStatusCode.Forbidden);
        await CreateFolderAsync(new { name = "Team", scopes = new[] { "team:red" } }, narrow, HttpStatusCode.Forbidden);
        var parent = await CreateFolderAsync(new { name = "Child", parentFolderId = theirs }, narrow, HttpStatusCode.BadRequest);
        Assert.Equal("parentFolderId", parent.GetProperty("details").GetProperty("field").GetString());
        await AssertErrorAsync(await narrow.PutAsJsonAsync($"/v1/folders/{mine}", new { userId = other }), HttpStatusCode.Forbidden);
        var leaves = await narrow.SendAsync(Patch(mine, """{"scopes":["team:red"]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, leaves.StatusCode);
        Assert.Equal("scopes", (await JsonAsync(leaves)).GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await CountRowsAsync());

        // A collision with a folder it may not read is the uniform 400, not the holder.
        await CreateFolderAsync(new { name = "Shared", slug = "shared", userId = other });
        var collision = await CreateFolderAsync(new { name = "Shared", slug = "shared" }, narrow, HttpStatusCode.BadRequest);
        Assert.Equal("slug", collision.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.OK, (await narrow.PostAsJsonAsync("/v1/folders", new { name = "Mine" })).StatusCode);
    }

    [Fact]
    public async Task A_wide_token_reads_every_folder_but_places_only_tenant_level_ones()
    {
        var other = await CreateUserAsync(Client);
        var theirs = Id(await CreateFolderAsync(new { name = "Theirs", userId = other }));
        using var wide = Server.CreateClient(await MintAsync(Client, ["folders:crud"]));
        Assert.Equal(HttpStatusCode.OK, (await wide.GetAsync($"/v1/folders/{theirs}")).StatusCode);
        var created = await CreateFolderAsync(new { name = "Tenant" }, wide);
        Assert.False(created.TryGetProperty("userId", out var owner) && owner.ValueKind != JsonValueKind.Null);
        await CreateFolderAsync(new { name = "For them", userId = other }, wide, HttpStatusCode.Forbidden);
        await AssertErrorAsync(await wide.PutAsJsonAsync($"/v1/folders/{theirs}", new { name = "Renamed" }), HttpStatusCode.OK);

        // Once deleted, its history is out of a scoped caller's reach (its ownership is gone); the root key still reads it.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/folders/{theirs}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await wide.GetAsync($"/v1/folders/{theirs}/versions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/folders/{theirs}/versions")).StatusCode);
    }
}
