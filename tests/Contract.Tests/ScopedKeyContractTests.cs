using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// listScopedKeys, createScopedKey, getScopedKey, revokeScopedKey (spec L179-L320) and ping with an <c>ssk_</c> key, each
/// response against the spec's component schemas; ping also against the 0.40 shape of <c>Delta040/auth.yaml</c>.
/// </summary>
public sealed class ScopedKeyContractTests : ApiTestBase
{
    private const string Route = "/v1/admin/keys/scoped";

    private async Task<string> UserWithProfileAsync(string[] actions)
    {
        var user = await Client.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var userId = JsonDocument.Parse(await user.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var org = await CreateOrgAsync();
        var profile = await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles", new
        {
            principalId = "usr_" + userId,
            scopes = new[] { new { allowed_actions = actions } },
            identityOverrides = new Dictionary<string, string> { ["scope:org"] = org.ToString() },
        });
        Assert.Equal(HttpStatusCode.Created, profile.StatusCode);
        return userId;
    }

    private Task<HttpResponseMessage> CreateAsync(string userId, string keyName = "contract", HttpClient? client = null, string? label = "Contract label") =>
        (client ?? Client).PostAsJsonAsync(Route, new { keyName, tenantId = Partner.TestTenantId, contextId = "default", userId, label });

    [SpecFact]
    public async Task Create_scoped_key_answers_the_spec_shapes()
    {
        var user = await UserWithProfileAsync(["schemas:r"]);
        var created = await CreateAsync(user);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ContractAssert.MatchesResponseAsync("createScopedKey", created);

        var existing = await CreateAsync(user);
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        await ContractAssert.MatchesResponseAsync("createScopedKey", existing);

        var bad = await CreateAsync(user, keyName: "");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("createScopedKey", bad);

        var missing = await CreateAsync(Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("createScopedKey", missing);

        var raw = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("rawKey").GetString()!;
        using var key = Server.CreateClient(raw);
        var forbidden = await CreateAsync(user, "other", key);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ContractAssert.MatchesResponseAsync("createScopedKey", forbidden);
    }

    [SpecFact]
    public async Task List_get_and_revoke_answer_the_spec_shapes()
    {
        var user = await UserWithProfileAsync(["schemas:r"]);
        var created = await CreateAsync(user, label: null);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var keyId = body.GetProperty("keyId").GetString();
        using var key = Server.CreateClient(body.GetProperty("rawKey").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await key.GetAsync("/v1/schemas")).StatusCode);

        await ContractAssert.MatchesResponseAsync("listScopedKeys", await Client.GetAsync(Route));
        await ContractAssert.MatchesResponseAsync("listScopedKeys", await key.GetAsync(Route));
        await ContractAssert.MatchesResponseAsync("getScopedKey", await Client.GetAsync($"{Route}/{keyId}"));
        await ContractAssert.MatchesResponseAsync("getScopedKey", await Client.GetAsync($"{Route}/{Guid.NewGuid()}"));
        await ContractAssert.MatchesResponseAsync("getScopedKey", await key.GetAsync($"{Route}/{keyId}"));
        await ContractAssert.MatchesResponseAsync("revokeScopedKey", await key.DeleteAsync($"{Route}/{keyId}"));
        await ContractAssert.MatchesResponseAsync("revokeScopedKey", await Client.DeleteAsync($"{Route}/{keyId}"));
        await ContractAssert.MatchesResponseAsync("revokeScopedKey", await Client.DeleteAsync($"{Route}/{keyId}"));
        await ContractAssert.MatchesResponseAsync("revokeScopedKey", await Client.DeleteAsync($"{Route}/{Guid.NewGuid()}"));
        await ContractAssert.MatchesResponseAsync("getScopedKey", await Client.GetAsync($"{Route}/{keyId}"));
    }

    [SpecFact]
    public async Task Ping_with_a_scoped_key_answers_the_spec_and_0_40_shapes()
    {
        var user = await UserWithProfileAsync(["schemas:r", "records:r:note"]);
        var created = JsonDocument.Parse(await (await CreateAsync(user)).Content.ReadAsStringAsync()).RootElement;
        using var key = Server.CreateClient(created.GetProperty("rawKey").GetString()!);
        var ping = await key.GetAsync("/v1/ping");
        var text = await ping.Content.ReadAsStringAsync();
        await ContractAssert.MatchesResponseAsync("ping", ping);
        ContractAssert.MatchesDelta("PingResponse040", text);
        var root = JsonDocument.Parse(text).RootElement;
        Assert.Equal("scoped_key", root.GetProperty("principalType").GetString());
        Assert.Equal(user, root.GetProperty("dataScope").GetProperty("userId").GetString());
        Assert.Single(root.GetProperty("dataScope").GetProperty("scopes").EnumerateArray());
    }
}
