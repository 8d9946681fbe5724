using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>${{ member.scope.&lt;ns&gt;[:&lt;level&gt;] }}</c> (API-DELTA §8.2 Membership): resolved from the namespace's declared
/// membership records on every request, so adding a membership record grants access on the next request and removing
/// it revokes access at once.
/// </summary>
public sealed class MembershipScopeTests : RecordTestBase
{
    private static readonly string Member = Guid.NewGuid().ToString("D");

    private async Task RegisterProjectsAsync()
    {
        var response = await Client.PostAsJsonAsync("/v1/namespaces?contextId=default", new
        {
            @namespace = "proj",
            specificityRank = 7000,
            membershipRecordType = "proj_member",
            membershipTargetField = "projectId",
            membershipLevelField = "role",
            membershipLevels = new[] { "admin", "viewer" },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        await CreateBareSchemaAsync("note");
        await CreateBareSchemaAsync("proj_member");
    }

    private Task<HttpClient> TokenAsync(string placeholder) => ScopedTokens.ClientAsync(Server, Client, new
    {
        allowedActions = new[] { "records:r:note" },
        dataScope = new Dictionary<string, string?[]> { ["scope:proj"] = [placeholder] },
        identity = new Dictionary<string, string> { ["userId"] = Member },
    });

    [Fact]
    public async Task Adding_a_membership_record_grants_and_removing_it_revokes_on_the_next_request()
    {
        await RegisterProjectsAsync();
        var note = Id(await CreateRecordAsync(new { typeName = "note", payload = new { }, scopes = new[] { "proj:p1" } }));
        await CreateRecordAsync(new { typeName = "note", payload = new { }, scopes = new[] { "proj:p2" } });
        using var token = await TokenAsync("${{ member.scope.proj }}");

        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/v1/records/{note}")).StatusCode);

        var membership = Id(await CreateRecordAsync(new { typeName = "proj_member", payload = new { projectId = "p1", role = "viewer" }, userId = Member }));
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/v1/records/{note}")).StatusCode);
        var page = await ExpectAsync(await token.GetAsync("/v1/records?type=note"), HttpStatusCode.OK);
        Assert.Equal([note], page.GetProperty("data").EnumerateArray().Select(Id));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/records/{membership}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/v1/records/{note}")).StatusCode);
    }

    [Fact]
    public async Task A_level_qualified_placeholder_needs_a_membership_at_that_level()
    {
        await RegisterProjectsAsync();
        var note = Id(await CreateRecordAsync(new { typeName = "note", payload = new { }, scopes = new[] { "proj:p1" } }));
        var membership = Id(await CreateRecordAsync(new { typeName = "proj_member", payload = new { projectId = "p1", role = "viewer" }, userId = Member }));
        using var token = await TokenAsync("${{ member.scope.proj:admin }}");

        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/v1/records/{note}")).StatusCode);
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{membership}", new { payload = new { role = "admin" } }), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/v1/records/{note}")).StatusCode);
    }
}
