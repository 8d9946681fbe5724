using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;
using Xunit.Sdk;

namespace Vectros.Contract.Tests;

/// <summary>
/// Every role, profile and principal operation over real HTTP: against the spec's schemas (spec L408–L1210, L3277)
/// and against the 0.40 shapes of <c>Delta040/access.yaml</c> (API-DELTA §8.4, §8.5).
/// </summary>
public sealed class AccessContractTests : ApiTestBase
{
    private const string Roles = "/v1/app-contexts/default/roles";
    private const string Profiles = "/v1/app-contexts/default/profiles";

    private static readonly object[] Clauses =
    [
        new
        {
            allowed_actions = new[] { "records:rs:patient", "read" },
            data_scope = new Dictionary<string, object?[]> { ["scope:org"] = ["org_x", null], ["userId"] = ["${{ self.userId }}"] },
            granted_capabilities = new[] { "forensic-read" },
        },
    ];

    [SpecFact]
    public async Task Role_operations_answer_the_spec_schemas()
    {
        await ContractAssert.MatchesResponseAsync("createRole", await Client.PostAsJsonAsync(Roles, new { roleId = "spec-role", name = "Spec", description = "d", scopes = Clauses }));
        await ContractAssert.MatchesResponseAsync("createRole", await Client.PostAsJsonAsync(Roles, new { roleId = "spec-role", name = "Spec", scopes = Clauses }));
        await ContractAssert.MatchesResponseAsync("createRole", await Client.PostAsJsonAsync(Roles, new { roleId = "X", name = "bad", scopes = Clauses }));
        await ContractAssert.MatchesResponseAsync("listRoles", await Client.GetAsync($"{Roles}?limit=1"));
        await ContractAssert.MatchesResponseAsync("listRoles", await Client.GetAsync("/v1/app-contexts/nowhere/roles"));
        await ContractAssert.MatchesResponseAsync("getRole", await Client.GetAsync($"{Roles}/spec-role"));
        await ContractAssert.MatchesResponseAsync("getRole", await Client.GetAsync($"{Roles}/missing"));
        await ContractAssert.MatchesResponseAsync("updateRole", await Client.PutAsJsonAsync($"{Roles}/spec-role", new { name = "Renamed" }));
        await ContractAssert.MatchesResponseAsync("updateRole", await Client.PutAsJsonAsync($"{Roles}/missing", new { name = "x" }));
        await ContractAssert.MatchesResponseAsync("getRoleVersions", await Client.GetAsync($"{Roles}/spec-role/versions"));
        await ContractAssert.MatchesResponseAsync("getRoleVersions", await Client.GetAsync($"{Roles}/spec-role/versions?limit=1"));

        await Client.PostAsJsonAsync(Profiles, new { principalId = "key_holder", roleId = "spec-role" });
        // The 409 for a referenced role is in the description only (API-DIGEST §5): its body is checked as ErrorResponse040 below.
        Assert.Equal(HttpStatusCode.Conflict, (await Client.DeleteAsync($"{Roles}/spec-role")).StatusCode);
        await Client.DeleteAsync($"{Profiles}/key_holder");
        await ContractAssert.MatchesResponseAsync("deleteRole", await Client.DeleteAsync($"{Roles}/spec-role"));
        await ContractAssert.MatchesResponseAsync("deleteRole", await Client.DeleteAsync($"{Roles}/spec-role"));
    }

    [SpecFact]
    public async Task Profile_operations_answer_the_spec_schemas()
    {
        var org = await CreateOrgAsync();
        var user = await UserAsync("spec");
        await ContractAssert.MatchesResponseAsync("createAccessProfile",
            await Client.PostAsJsonAsync(Profiles, new { principalId = user, scopes = Clauses, identityOverrides = new { orgId = org.ToString() } }));
        await ContractAssert.MatchesResponseAsync("createAccessProfile", await Client.PostAsJsonAsync(Profiles, new { principalId = user, scopes = Clauses }));
        await ContractAssert.MatchesResponseAsync("createAccessProfile", await Client.PostAsJsonAsync(Profiles, new { principalId = "nobody", scopes = Clauses }));
        await ContractAssert.MatchesResponseAsync("listAccessProfiles", await Client.GetAsync($"{Profiles}?limit=1"));
        await ContractAssert.MatchesResponseAsync("listAccessProfiles", await Client.GetAsync("/v1/app-contexts/nowhere/profiles"));
        await ContractAssert.MatchesResponseAsync("getAccessProfile", await Client.GetAsync($"{Profiles}/{user}"));
        await ContractAssert.MatchesResponseAsync("getAccessProfile", await Client.GetAsync($"{Profiles}/usr_missing"));
        await ContractAssert.MatchesResponseAsync("updateAccessProfile", await Client.PutAsJsonAsync($"{Profiles}/{user}", new { status = "suspended" }));
        await ContractAssert.MatchesResponseAsync("updateAccessProfile", await Client.PutAsJsonAsync($"{Profiles}/usr_missing", new { status = "active" }));
        await ContractAssert.MatchesResponseAsync("getAccessProfileVersions", await Client.GetAsync($"{Profiles}/{user}/versions"));
        await ContractAssert.MatchesResponseAsync("listProfilesForPrincipal", await Client.GetAsync($"/v1/principals/{user}/profiles"));
        await ContractAssert.MatchesResponseAsync("listProfilesForPrincipal", await Client.GetAsync("/v1/principals/bad/profiles"));
        await ContractAssert.MatchesResponseAsync("deleteAccessProfile", await Client.DeleteAsync($"{Profiles}/{user}"));
        await ContractAssert.MatchesResponseAsync("deleteAccessProfile", await Client.DeleteAsync($"{Profiles}/{user}"));
    }

    [Fact]
    public async Task Access_operations_answer_the_040_shapes()
    {
        await MatchesAsync("RoleResponse040", await Client.PostAsJsonAsync(Roles, new { roleId = "shape-role", name = "Shape", scopes = Clauses }));
        await MatchesAsync("RoleResponse040", await Client.PutAsJsonAsync($"{Roles}/shape-role", new { description = "d" }));
        await MatchesAsync("RoleResponse040", await Client.GetAsync($"{Roles}/shape-role"));
        await MatchesAsync("RolePage040", await Client.GetAsync(Roles));

        await MatchesAsync("AccessProfileResponse040", await Client.PostAsJsonAsync(Profiles, new { principalId = "key_shape", roleId = "shape-role" }));
        var user = await UserAsync("shape", "shape@example.com");
        var withEmail = await MatchesAsync("AccessProfileResponse040", await Client.PostAsJsonAsync(Profiles, new { principalId = user, scopes = Clauses }));
        Assert.Equal("shape@example.com", withEmail.GetProperty("email").GetString());
        await MatchesAsync("AccessProfileResponse040", await Client.PutAsJsonAsync($"{Profiles}/{user}", new { status = "suspended" }));
        await MatchesAsync("AccessProfileResponse040", await Client.GetAsync($"{Profiles}/key_shape"));
        await MatchesAsync("AccessProfilePage040", await Client.GetAsync(Profiles));
        await MatchesAsync("AccessProfilePage040", await Client.GetAsync("/v1/principals/key_shape/profiles"));

        await MatchesAsync("ErrorResponse040", await Client.DeleteAsync($"{Roles}/shape-role"), HttpStatusCode.Conflict);
        await MatchesAsync("ErrorResponse040", await Client.PostAsync(Roles, new StringContent(
            """{"roleId":"bad-role","name":"n","scopes":[{"allowed_actions":["records:r"],"granted_capabilities":["nope"]}]}""",
            System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        await MatchesAsync("ErrorResponse040", await Client.GetAsync($"{Profiles}/key_none"), HttpStatusCode.NotFound);
    }

    [Fact]
    public void The_shapes_reject_what_0_40_clients_could_not_read()
    {
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("ScopeClause040", """{"allowed_actions":["records:r"],"granted_capabilities":["root"]}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("ScopeClause040", """{"allowed_actions":["records:r"],"data_scope":{"userId":"u1"}}"""));
        Assert.Throws<XunitException>(() => ContractAssert.MatchesDelta("AccessProfileResponse040",
            """{"id":"t#c#key_1","contextId":"ctx","principalId":"bob","identityOverrides":{},"status":"active","createdAt":"2026-01-01T00:00:00.000Z","lastModified":"2026-01-01T00:00:00.000Z"}"""));
    }

    /// <summary>A live user's principal: a usr_ principal must name an existing user (API-DELTA §8.5).</summary>
    private async Task<string> UserAsync(string externalId, string? email = null)
    {
        var created = await Client.PostAsJsonAsync("/v1/users", new { externalId, email });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        return "usr_" + (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
    }

    private static async Task<JsonElement> MatchesAsync(string shape, HttpResponseMessage response, HttpStatusCode? status = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (status is { } expected)
        {
            Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body}");
        }
        else
        {
            Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        }

        ContractAssert.MatchesDelta(shape, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
