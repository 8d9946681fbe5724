using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #3 item 8 for folders: another tenant's (or context's) folder id answers exactly like a missing id, for
/// every verb, and nothing of it leaks through lists, parents or history.
/// </summary>
public sealed class FolderIsolationTests : FolderTestBase
{
    public static TheoryData<string> Strangers => ["other partner", "same partner, live key"];

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task Every_verb_on_a_foreign_folder_is_the_same_404_as_a_missing_one(string stranger)
    {
        var folder = await CreateFolderAsync(new { name = "Private", description = "mine" });
        var id = Id(folder);
        using var other = await StrangerAsync(stranger);

        foreach (var target in new[] { id, Guid.CreateVersion7().ToString() })
        {
            var responses = new[]
            {
                await other.GetAsync($"/v1/folders/{target}"),
                await other.PutAsJsonAsync($"/v1/folders/{target}", new { name = "taken" }),
                await other.SendAsync(Patch(target, """{"name":"taken"}""")),
                await other.DeleteAsync($"/v1/folders/{target}"),
                await other.GetAsync($"/v1/folders/{target}/versions"),
            };
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                var body = await JsonAsync(response);
                Assert.Equal("NOT_FOUND", body.GetProperty("errorCode").GetString());
                Assert.Equal("No folder with this id exists.", body.GetProperty("message").GetString());
            }
        }

        // Not listed, not usable as a parent (400 as for any unknown parent, and nothing written), not a filter match.
        var list = await JsonAsync(await other.GetAsync("/v1/folders?limit=100"));
        Assert.DoesNotContain(id, list.GetProperty("data").EnumerateArray().Select(Id));
        Assert.Empty((await JsonAsync(await other.GetAsync($"/v1/folders?parentFolderId={id}"))).GetProperty("data").EnumerateArray());
        var before = await CountRowsAsync();
        var child = await other.PostAsJsonAsync("/v1/folders", new { name = "Intruder", parentFolderId = id });
        await AssertErrorAsync(child, HttpStatusCode.BadRequest, "parentFolderId");
        Assert.Equal(before, await CountRowsAsync());

        // The owner's folder is untouched.
        var mine = await JsonAsync(await Client.GetAsync($"/v1/folders/{id}"));
        Assert.Equal("Private", mine.GetProperty("name").GetString());
        Assert.Equal(1, Version(mine));
        var history = await JsonAsync(await Client.GetAsync($"/v1/folders/{id}/versions"));
        Assert.Single(history.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Strangers))]
    public async Task The_same_path_in_another_tenant_is_another_folder_with_its_own_root(string stranger)
    {
        var mine = await CreateFolderAsync(new { name = "Shared name" });
        using var other = await StrangerAsync(stranger);
        var theirs = await CreateFolderAsync(new { name = "Shared name" }, other);
        Assert.NotEqual(Id(mine), Id(theirs));
        Assert.NotEqual(await RootIdAsync(), await RootIdAsync(other));
        Assert.Equal(2, (await JsonAsync(await Client.GetAsync("/v1/folders"))).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Another_context_of_the_same_tenant_sees_nothing()
    {
        var folder = await CreateFolderAsync(new { name = "Default context only" });
        var id = Id(folder);
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var elsewhere = new CallerContext(Partner.TestTenantId, "elsewhere", Partner.TestKey.KeyId, IsRoot: true, []);
        var grain = grains.GetGrain<IFolderGrain>(elsewhere.KeyFor(id));

        Assert.Null(await grain.GetAsync(elsewhere));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.UpdateAsync(elsewhere, new UpdateFolderCommand("x", null, null, null, null, null)));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.DeleteAsync(elsewhere));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetVersionsAsync(elsewhere, null, 20));

        // A caller of one context holding a grain key of another context is treated as a stranger too.
        var home = new CallerContext(Partner.TestTenantId, "default", Partner.TestKey.KeyId, IsRoot: true, []);
        Assert.Null(await grain.GetAsync(home));
        Assert.NotNull(await grains.GetGrain<IFolderGrain>(home.KeyFor(id)).GetAsync(home));

        // The other context has its own root and its own tree.
        var directory = grains.GetGrain<IFolderDirectoryGrain>(elsewhere.ContextKey);
        var page = await directory.ListAsync(elsewhere, new FolderListQuery(null, null, [], null, 100));
        var root = Assert.Single(page.Data);
        Assert.Equal(0, root.Depth);
        Assert.NotEqual(await RootIdAsync(), root.Id.ToString());
        await Assert.ThrowsAsync<ValidationException>(() => directory.CreateAsync(elsewhere,
            new CreateFolderCommand("Child", null, "child", Guid.Parse(id), null, null, null, Upsert: false)));

        var mine = await JsonAsync(await Client.GetAsync($"/v1/folders/{id}"));
        Assert.Equal(1, Version(mine));
    }

    [Fact]
    public async Task A_lost_insert_race_returns_null_and_writes_nothing()
    {
        var folder = await CreateFolderAsync(new { name = "Winner" });
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(Partner.TestTenantId, "default", Partner.TestKey.KeyId, IsRoot: true, []);
        var before = await CountRowsAsync();

        // What the second of two concurrent creators sees: the unique (parent, slug) constraint refuses its row.
        var loser = grains.GetGrain<IFolderGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()));
        var parent = Guid.Parse(folder.GetProperty("parentFolderId").GetString()!);
        Assert.Null(await loser.InsertAsync(caller, new NewFolder(parent, "Winner", null, "winner", null, [], false, null)));
        Assert.Null(await loser.GetAsync(caller));
        Assert.Equal(before, await CountRowsAsync());
    }

    private async Task<HttpClient> StrangerAsync(string stranger) => stranger switch
    {
        "other partner" => Server.CreateClient((await Server.CreatePartnerAsync("stranger")).TestKey.RawKey),
        _ => Server.CreateClient(Partner.LiveKey.RawKey),
    };
}
