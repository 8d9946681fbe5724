using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Folders carry ownership scopes (API-DELTA-0.40 §6) beside the 0.31 orgId/clientId.</summary>
public sealed class FolderScopeTests : FolderTestBase
{
    private static string[] Scopes(JsonElement folder) => [.. folder.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task Scopes_are_set_replaced_filtered_and_recorded_in_history()
    {
        var org = await CreateOrgAsync();
        var modern = await CreateFolderAsync(new { name = "Blue", scopes = new[] { "team:blue", $"org:{org}" } });
        Assert.Equal([$"org:{org}", "team:blue"], Scopes(modern));
        Assert.Equal(org.ToString(), modern.GetProperty("orgId").GetString());

        var legacy = await CreateFolderAsync(new { name = "Legacy", orgId = org });
        Assert.Equal([$"org:{org}"], Scopes(legacy));

        var root = await CreateFolderAsync(new { name = "Nobody" });
        Assert.Empty(Scopes(root));

        var byScope = await JsonAsync(await Client.GetAsync("/v1/folders?scope=team:blue"));
        Assert.Equal([Id(modern)], byScope.GetProperty("data").EnumerateArray().Select(Id));
        var byOrg = await JsonAsync(await Client.GetAsync($"/v1/folders?orgId={org}"));
        Assert.Equal(2, byOrg.GetProperty("data").GetArrayLength());

        // PATCH replaces the declaration; null is refused; PUT without scopes keeps them.
        var patched = await Client.SendAsync(Patch(Id(modern), """{"scopes":["team:red"]}"""));
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(["team:red"], Scopes(await JsonAsync(patched)));
        await AssertErrorAsync(await Client.SendAsync(Patch(Id(modern), """{"scopes":null}""")), HttpStatusCode.BadRequest, "scopes");
        var put = await Client.PutAsJsonAsync($"/v1/folders/{Id(modern)}", new { name = "Blue 2" });
        Assert.Equal(["team:red"], Scopes(await JsonAsync(put)));

        var versions = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(modern)}/versions"));
        Assert.Contains(versions.GetProperty("data").EnumerateArray(),
            v => v.GetProperty("changedFields").GetProperty("fields").EnumerateArray().Any(f => f.GetString() == "scopes"));
    }

    [Theory]
    [InlineData("""{"name":"x","scopes":["nope"]}""")]
    [InlineData("""{"name":"x","scopes":["a:b"]}""")]
    [InlineData("""{"name":"x","scopes":["team:a","team:b"]}""")]
    [InlineData("""{"name":"x","scopes":["team:a"],"orgId":"6ba7b810-9dad-11d1-80b4-00c04fd430c8"}""")]
    public async Task Bad_scopes_are_a_400_and_write_nothing(string json)
    {
        await RootIdAsync();
        var before = await CountRowsAsync();
        await AssertErrorAsync(await Client.PostAsync("/v1/folders", RawJson(json)), HttpStatusCode.BadRequest, "scopes");
        Assert.Equal(before, await CountRowsAsync());
    }
}
