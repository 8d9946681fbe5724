using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// Every <c>/v1/users*</c> and invite operation over real HTTP, for each status it produces that the spec declares,
/// against the spec's schemas (UserResponse, UserPage, ModelDataVersionPage, CreateInviteResponse), and the 0.40
/// shapes (UserExistsResponse, UserResponse040) of Delta040/users.yaml.
/// </summary>
public sealed class UserContractTests : ApiTestBase
{
    private static async Task<string> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    [SpecFact]
    public async Task Create_list_lookup_and_exists()
    {
        var schema = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "person_v1",
            displayName = "Person",
            allowedSurfaces = new[] { "user" },
            fields = new[] { new { fieldId = "team", fieldType = "string" } },
            lookupFields = new[] { new { fieldName = "team", rangeEnabled = true } },
        });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
        var schemaId = await IdOf(schema);

        var created = await Client.PostAsJsonAsync("/v1/users", new { externalId = "u1", email = "u1@example.com", schemaId, payload = new { team = "eng" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        ContractAssert.MatchesResponse("createUser", 201, body);
        ContractAssert.MatchesDelta("UserResponse040", body);

        var existing = await Client.PostAsJsonAsync("/v1/users", new { externalId = "u1" });
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        await ContractAssert.MatchesResponseAsync("createUser", existing);
        await ContractAssert.MatchesResponseAsync("createUser", await Client.PostAsJsonAsync("/v1/users?upsert=true", new { externalId = "u1", status = "SUSPENDED" }));
        var bad = await Client.PostAsJsonAsync("/v1/users", new { email = "no-external-id@example.com" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("createUser", bad);

        await ContractAssert.MatchesResponseAsync("listUsers", await Client.GetAsync("/v1/users"));
        await ContractAssert.MatchesResponseAsync("listUsers", await Client.GetAsync("/v1/users?limit=1"));
        await ContractAssert.MatchesResponseAsync("listUsers", await Client.GetAsync("/v1/users?externalId=u1"));
        await ContractAssert.MatchesResponseAsync("listUsers", await Client.GetAsync("/v1/users?type=person_v1&field=team&value=eng"));

        var lookup = await Client.PostAsJsonAsync("/v1/users/lookup", new { type = "person_v1", field = "team", prefix = "e" });
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        await ContractAssert.MatchesResponseAsync("lookupUsers", lookup);
        var badLookup = await Client.PostAsJsonAsync("/v1/users/lookup", new { type = "person_v1", field = "team", value = "a", prefix = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, badLookup.StatusCode);
        await ContractAssert.MatchesResponseAsync("lookupUsers", badLookup);

        var exists = await Client.GetAsync("/v1/users/exists-by-email?email=U1%40example.com&contextId=default");
        Assert.Equal(HttpStatusCode.OK, exists.StatusCode);
        ContractAssert.MatchesDelta("UserExistsResponse", await exists.Content.ReadAsStringAsync());
        ContractAssert.MatchesDelta("UserExistsResponse", await Client.GetStringAsync("/v1/users/exists-by-email?email=none%40example.com"));
        var badExists = await Client.GetAsync("/v1/users/exists-by-email?email=nope");
        Assert.Equal(HttpStatusCode.BadRequest, badExists.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await badExists.Content.ReadAsStringAsync());
    }

    [SpecFact]
    public async Task Get_update_delete_and_versions()
    {
        var id = await IdOf(await Client.PostAsJsonAsync("/v1/users", new { externalId = "u2", payload = new { a = 1 } }));
        var missing = Guid.CreateVersion7();

        var get = await Client.GetAsync($"/v1/users/{id}");
        var body = await get.Content.ReadAsStringAsync();
        ContractAssert.MatchesResponse("getUser", 200, body);
        ContractAssert.MatchesDelta("UserResponse040", body);
        await ContractAssert.MatchesResponseAsync("getUser", await Client.GetAsync($"/v1/users/{missing}"));

        var updated = await Client.PutAsJsonAsync($"/v1/users/{id}", new { email = "u2@example.com", payload = new { b = 2 } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await ContractAssert.MatchesResponseAsync("updateUser", updated);
        await ContractAssert.MatchesResponseAsync("updateUser", await Client.PutAsJsonAsync($"/v1/users/{missing}", new { email = "x@example.com" }));

        var versions = await Client.GetAsync($"/v1/users/{id}/versions");
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        await ContractAssert.MatchesResponseAsync("getUserVersions", versions);
        await ContractAssert.MatchesResponseAsync("getUserVersions", await Client.GetAsync($"/v1/users/{missing}/versions"));

        var deleted = await Client.DeleteAsync($"/v1/users/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ContractAssert.MatchesResponseAsync("deleteUser", deleted);
        await ContractAssert.MatchesResponseAsync("deleteUser", await Client.DeleteAsync($"/v1/users/{id}"));
    }

    [SpecFact]
    public async Task Invite_and_resend()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "crm", name = "CRM" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts/crm/roles",
            new { roleId = "member", name = "Member", scopes = new[] { new { allowed_actions = new[] { "records:r:note" } } } })).StatusCode);
        object Invite(string email, string contextId = "crm", bool sendEmail = false) => new
        {
            email,
            contextId,
            accessProfile = new { roleId = "member" },
            acceptUrl = "https://app.example.com/accept",
            sendEmail,
        };

        var created = await Client.PostAsJsonAsync("/v1/users/invite", Invite("bob@example.com"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ContractAssert.MatchesResponseAsync("createInvite", created);
        await ContractAssert.MatchesResponseAsync("createInvite", await Client.PostAsJsonAsync("/v1/users/invite", Invite("eve@example.com", sendEmail: true)));
        await ContractAssert.MatchesResponseAsync("createInvite", await Client.PostAsJsonAsync("/v1/users/invite", Invite("bad")));
        await ContractAssert.MatchesResponseAsync("createInvite", await Client.PostAsJsonAsync("/v1/users/invite", Invite("a@example.com", "missing")));
        var unknownRole = await Client.PostAsJsonAsync("/v1/users/invite",
            new { email = "r@example.com", contextId = "crm", accessProfile = new { roleId = "no-such-role" }, sendEmail = false });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRole.StatusCode);
        await ContractAssert.MatchesResponseAsync("createInvite", unknownRole);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/users", new { externalId = "taken", email = "taken@example.com" })).StatusCode);
        var conflict = await Client.PostAsJsonAsync("/v1/users/invite", Invite("taken@example.com"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        await ContractAssert.MatchesResponseAsync("createInvite", conflict);

        var resent = await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("bob@example.com"));
        Assert.Equal(HttpStatusCode.Created, resent.StatusCode);
        await ContractAssert.MatchesResponseAsync("resendInvite", resent);
        await ContractAssert.MatchesResponseAsync("resendInvite", await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("nobody@example.com")));
        await ContractAssert.MatchesResponseAsync("resendInvite", await Client.PostAsJsonAsync("/v1/users/invite/resend", Invite("bad")));
    }
}
