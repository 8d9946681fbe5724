using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Access profiles and principals over real HTTP (spec L408–L1167, L3277; API-DELTA §8.5).</summary>
public sealed class AccessProfileTests : ApiTestBase
{
    private const string Profiles = "/v1/app-contexts/default/profiles";

    private static object[] Scopes(string action = "records:r:memory") => [new { allowed_actions = new[] { action }, data_scope = new { } }];

    [Fact]
    public async Task Create_is_idempotent_by_principal_and_upsert_overwrites()
    {
        var first = await Client.PostAsJsonAsync(Profiles, new { principalId = "key_abc", scopes = Scopes() });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await JsonAsync(first);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal($"{Partner.TestTenantId}#default#key_abc", created.GetProperty("id").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.False(created.TryGetProperty("roleId", out _));

        var again = await JsonAsync(await Client.PostAsJsonAsync(Profiles, new { principalId = "key_abc", scopes = Scopes("records:r:other") }));
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal("records:r:memory", again.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());

        var upserted = await Client.PostAsJsonAsync($"{Profiles}?upsert=true", new { principalId = "key_abc", scopes = Scopes("records:r:other"), status = "suspended" });
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        var body = await JsonAsync(upserted);
        Assert.Equal("records:r:other", body.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());
        Assert.Equal("suspended", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Setting_a_role_clears_the_scopes_and_back()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts/default/roles", new { roleId = "viewer", name = "Viewer", scopes = Scopes() });
        await Client.PostAsJsonAsync(Profiles, new { principalId = "key_swap", scopes = Scopes() });

        var toRole = await JsonAsync(await Client.PutAsJsonAsync($"{Profiles}/key_swap", new { roleId = "viewer" }));
        Assert.Equal("viewer", toRole.GetProperty("roleId").GetString());
        Assert.False(toRole.TryGetProperty("scopes", out _));

        var toScopes = await JsonAsync(await Client.PutAsJsonAsync($"{Profiles}/key_swap", new { scopes = Scopes("logs:r") }));
        Assert.False(toScopes.TryGetProperty("roleId", out _));
        Assert.Equal("logs:r", toScopes.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());

        // Partial: a status-only PUT keeps the grant.
        var suspended = await JsonAsync(await Client.PutAsJsonAsync($"{Profiles}/key_swap", new { status = "suspended", scopes = (object?)null }));
        Assert.Equal("suspended", suspended.GetProperty("status").GetString());
        Assert.Equal("logs:r", suspended.GetProperty("scopes")[0].GetProperty("allowed_actions")[0].GetString());

        var versions = await JsonAsync(await Client.GetAsync($"{Profiles}/key_swap/versions"));
        Assert.Equal(4, versions.GetProperty("data").GetArrayLength());

        var effective = await Client.GetAsync($"{Profiles}/key_swap");
        Assert.Equal(HttpStatusCode.OK, effective.StatusCode);
    }

    [Fact]
    public async Task Identity_overrides_take_scope_keys_name_existing_entities_and_echo_the_legacy_names()
    {
        var org = await CreateOrgAsync();
        var response = await Client.PostAsJsonAsync(Profiles, new { principalId = "key_org", scopes = Scopes(), identityOverrides = new { orgId = org.ToString() } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var overrides = (await JsonAsync(response)).GetProperty("identityOverrides");
        Assert.Equal(org.ToString(), overrides.GetProperty("scope:org").GetString());
        Assert.Equal(org.ToString(), overrides.GetProperty("orgId").GetString());

        // A root caller's override must name an existing entity of an entity-backed namespace (CL 0.38).
        var missing = await Client.PutAsJsonAsync($"{Profiles}/key_org", new { identityOverrides = new Dictionary<string, string> { ["scope:org"] = Guid.NewGuid().ToString() } });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("identityOverrides", (await JsonAsync(missing)).GetProperty("message").GetString(), StringComparison.Ordinal);

        // {} clears; omitted keeps.
        var kept = await JsonAsync(await Client.PutAsJsonAsync($"{Profiles}/key_org", new { status = "active" }));
        Assert.Equal(org.ToString(), kept.GetProperty("identityOverrides").GetProperty("scope:org").GetString());
        var cleared = await JsonAsync(await Client.PutAsJsonAsync($"{Profiles}/key_org", new { identityOverrides = new { } }));
        Assert.Empty(cleared.GetProperty("identityOverrides").EnumerateObject());
    }

    [Theory]
    [InlineData("""{"scopes":[]}""", "principalId")]
    [InlineData("""{"principalId":"bob","scopes":[]}""", "principalId")]
    [InlineData("""{"principalId":"usr_a b","scopes":[]}""", "principalId")]
    [InlineData("""{"principalId":"key_k1"}""", "exactly one")]
    [InlineData("""{"principalId":"key_k1","scopes":[],"roleId":"viewer"}""", "exactly one")]
    [InlineData("""{"principalId":"key_k1","roleId":"no-such-role"}""", "roleId")]
    [InlineData("""{"principalId":"key_k1","scopes":[],"status":"ACTIVE"}""", "status")]
    [InlineData("""{"principalId":"key_k1","scopes":[{"allowed_actions":["records:x"]}]}""", "ops")]
    [InlineData("""{"principalId":"key_k1","scopes":[{"allowed_actions":["profiles:r:self"]}]}""", "qualifier")]
    [InlineData("""{"principalId":"key_k1","scopes":[{"allowed_actions":["records:r"],"granted_capabilities":["*"]}]}""", "not a capability")]
    [InlineData("""{"principalId":"key_k1","scopes":[{"allowed_actions":["records:r"],"data_scope":{"clientId":["x"]}}]}""", "scope:client")]
    [InlineData("""{"principalId":"key_k1","scopes":[],"identityOverrides":{"userId":"u"}}""", "identityOverrides")]
    [InlineData("""{"principalId":"key_k1","scopes":[],"identityOverrides":{"scope:a":"1","scope:bb":"2"}}""", "identityOverrides")]
    [InlineData("""{"principalId":"key_k1","scopes":[],"identityOverrides":"org"}""", "identityOverrides")]
    public async Task Bad_input_is_400_and_nothing_is_written(string json, string message)
    {
        var response = await Client.PostAsync(Profiles, RawJson(json));
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body.ToString());
        Assert.Contains(message, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await JsonAsync(await Client.GetAsync(Profiles))).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_user_principal_must_be_a_live_user()
    {
        var unknown = await Client.PostAsJsonAsync(Profiles, new { principalId = $"usr_{Guid.NewGuid()}", scopes = Scopes() });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("principalId", (await JsonAsync(unknown)).GetProperty("message").GetString(), StringComparison.Ordinal);

        var user = await JsonAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "profile-user" }));
        var principal = $"usr_{user.GetProperty("id").GetString()}";
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync(Profiles, new { principalId = principal, scopes = Scopes() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"{Profiles}/{principal}")).StatusCode);
    }

    [Fact]
    public async Task Put_refuses_both_grant_sources_and_an_unknown_role()
    {
        await Client.PostAsJsonAsync(Profiles, new { principalId = "key_put", scopes = Scopes() });
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsJsonAsync($"{Profiles}/key_put", new { scopes = Scopes(), roleId = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PutAsJsonAsync($"{Profiles}/key_put", new { roleId = "ghost" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync($"{Profiles}/key_missing", new { status = "active" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"{Profiles}/key_missing")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"{Profiles}/not-a-principal")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/nowhere/profiles")).StatusCode);
    }

    [Fact]
    public async Task Principals_route_lists_a_principal_across_contexts()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "second", name = "Second" });
        await Client.PostAsJsonAsync(Profiles, new { principalId = "key_multi", scopes = Scopes() });
        await Client.PostAsJsonAsync("/v1/app-contexts/second/profiles", new { principalId = "key_multi", scopes = Scopes() });
        await Client.PostAsJsonAsync(Profiles, new { principalId = "key_other", scopes = Scopes() });

        var page = await JsonAsync(await Client.GetAsync("/v1/principals/key_multi/profiles"));
        Assert.Equal(["default", "second"], page.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("contextId").GetString()).ToList());
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/v1/principals/nobody/profiles")).StatusCode);
        Assert.Empty((await JsonAsync(await Client.GetAsync("/v1/principals/key_none/profiles"))).GetProperty("data").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/app-contexts/second/profiles/key_multi")).StatusCode);
        Assert.Single((await JsonAsync(await Client.GetAsync("/v1/principals/key_multi/profiles"))).GetProperty("data").EnumerateArray());
    }
}
