using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Roles per app context over real HTTP (spec L641–L1210, API-DELTA §8.5).</summary>
public sealed class AccessRoleTests : ApiTestBase
{
    private const string Roles = "/v1/app-contexts/default/roles";

    private static object Reader(string type = "memory") => new[] { new { allowed_actions = new[] { $"records:r:{type}" }, data_scope = new { } } };

    [Fact]
    public async Task Create_is_idempotent_by_role_id_and_upsert_overwrites()
    {
        var first = await Client.PostAsJsonAsync(Roles, new { roleId = "reader", name = "Reader", description = "d", scopes = Reader() });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await JsonAsync(first);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal($"{Partner.TestTenantId}#default#reader", created.GetProperty("id").GetString());
        Assert.Equal("records:r:memory", created.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());

        var again = await Client.PostAsJsonAsync(Roles, new { roleId = "reader", name = "Other", scopes = Reader("x") });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("Reader", (await JsonAsync(again)).GetProperty("name").GetString());

        var upserted = await Client.PostAsJsonAsync($"{Roles}?upsert=true", new { roleId = "reader", name = "Renamed", scopes = Reader("x") });
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        var body = await JsonAsync(upserted);
        Assert.False(body.GetProperty("created").GetBoolean());
        Assert.Equal("Renamed", body.GetProperty("name").GetString());
        Assert.Equal("records:r:x", body.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());

        var get = await JsonAsync(await Client.GetAsync($"{Roles}/reader"));
        Assert.False(get.TryGetProperty("created", out _));
        Assert.Equal("Renamed", get.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Update_is_partial_and_versions_keep_the_history()
    {
        await Client.PostAsJsonAsync(Roles, new { roleId = "editor", name = "Editor", scopes = Reader() });
        var put = await Client.PutAsJsonAsync($"{Roles}/editor", new { description = "edits" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await JsonAsync(put);
        Assert.Equal("Editor", body.GetProperty("name").GetString());
        Assert.Equal("edits", body.GetProperty("description").GetString());

        // An identical write is a no-op: no history row.
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"{Roles}/editor", new { description = "edits" })).StatusCode);
        var versions = await JsonAsync(await Client.GetAsync($"{Roles}/editor/versions"));
        var changes = versions.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("changeType").GetString()).ToList();
        Assert.Equal(["UPDATE", "CREATE"], changes);

        var page = await JsonAsync(await Client.GetAsync($"{Roles}/editor/versions?limit=1"));
        var cursor = page.GetProperty("nextCursor").GetString();
        Assert.True(long.TryParse(cursor, out _), "versions keep row-id cursors");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Roles}/nobody/versions")).StatusCode);
    }

    [Fact]
    public async Task A_referenced_role_cannot_be_deleted_and_a_role_change_reaches_its_profiles()
    {
        await Client.PostAsJsonAsync(Roles, new { roleId = "member", name = "Member", scopes = Reader() });
        var profile = await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles", new { principalId = "key_svc1", roleId = "member" });
        Assert.Equal(HttpStatusCode.Created, profile.StatusCode);

        var refused = await Client.DeleteAsync($"{Roles}/member");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("RESOURCE_IN_USE", (await JsonAsync(refused)).GetProperty("errorCode").GetString());

        // The profile resolves its role when read for access: the new clauses apply at once.
        await Client.PutAsJsonAsync($"{Roles}/member", new { scopes = Reader("changed") });
        var effective = await Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IAccessProfileGrain>($"{Partner.TestTenantId}#default#key_svc1").GetEffectiveAsync();
        Assert.NotNull(effective);
        Assert.Equal("records:r:changed", effective!.Clauses[0].AllowedActions[0]);
        Assert.Equal("member", effective.RoleId);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/app-contexts/default/profiles/key_svc1")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"{Roles}/member")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Roles}/member")).StatusCode);
        var history = await JsonAsync(await Client.GetAsync($"{Roles}/member/versions"));
        Assert.Equal("DELETE", history.GetProperty("data")[0].GetProperty("changeType").GetString());
    }

    [Theory]
    [InlineData("""{"roleId":"ab","name":"n","scopes":[]}""", "roleId")]
    [InlineData("""{"roleId":"Bad_Id","name":"n","scopes":[]}""", "roleId")]
    [InlineData("""{"roleId":"okrole","scopes":[]}""", "name")]
    [InlineData("""{"roleId":"okrole","name":"n"}""", "scopes")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":{}}""", "scopes")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"data_scope":{}}]}""", "allowed_actions")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["widgets:r"]}]}""", "unknown resource")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["records:r"],"data_scope":{"orgId":["x"]}}]}""", "scope:org")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["records:r"],"data_scope":{"userId":["a"],"userId":["b"]}}]}""", "more than once")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["records:r"],"data_scope":{"userId":["${{ self.email }}"]}}]}""", "placeholder")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["records:r"],"data_scope":{"scope:org":["${{ member.scope.org }}"]}}]}""", "membership")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["records:r"],"granted_capabilities":["root"]}]}""", "capability")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[{"allowed_actions":["records:r"],"extra":1}]}""", "Unknown field")]
    [InlineData("""{"roleId":"okrole","name":"n","scopes":[],"bogus":1}""", "Unknown field")]
    public async Task Bad_input_is_400_and_nothing_is_written(string json, string message)
    {
        var response = await Client.PostAsync(Roles, RawJson(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await JsonAsync(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
        var page = await JsonAsync(await Client.GetAsync(Roles));
        Assert.Empty(page.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Membership_placeholders_need_a_declared_level()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/namespaces", new
        {
            @namespace = "squad", specificityRank = 4242, membershipRecordType = "squad_member", membershipTargetField = "squadId",
            membershipContextId = "default", membershipLevelField = "level", membershipLevels = new[] { "lead", "member" },
        })).StatusCode);

        var ok = await Client.PostAsync(Roles, RawJson(
            """{"roleId":"squad-lead","name":"n","scopes":[{"allowed_actions":["records:r"],"data_scope":{"scope:squad":["${{member.scope.squad:lead}}"]},"granted_capabilities":["member-lifecycle"]}]}"""));
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var clause = (await JsonAsync(ok)).GetProperty("scopes")[0];
        Assert.Equal("${{ member.scope.squad:lead }}", clause.GetProperty("data_scope").GetProperty("scope:squad")[0].GetString());
        Assert.Equal("member-lifecycle", clause.GetProperty("granted_capabilities")[0].GetString());

        var bad = await Client.PostAsync(Roles, RawJson(
            """{"roleId":"squad-boss","name":"n","scopes":[{"allowed_actions":["records:r"],"data_scope":{"scope:squad":["${{ member.scope.squad:boss }}"]}}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Unknown_contexts_are_404_and_lists_page()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/nowhere/roles")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsJsonAsync("/v1/app-contexts/nowhere/roles", new { roleId = "x-role", name = "n", scopes = Reader() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Roles}/missing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync($"{Roles}/missing", new { name = "n" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"{Roles}/missing")).StatusCode);
    }
}
