using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// getUsage over real HTTP: the spec's UsageReportResponse (and its 400 and 403) and the 0.40 shape of
/// <c>Delta040/usage.yaml</c> (identity.entities; a confined caller's other environment null).
/// </summary>
public sealed class UsageContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Get_usage()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "x", mode = "TEXT" })).StatusCode);
        await Poll.UntilAsync(async () => (await Client.GetFromJsonAsync<JsonElement>("/v1/usage"))
            .GetProperty("search").GetProperty("queries").GetProperty("text").GetProperty("count").GetInt64() == 1, "the search counted");

        await ContractAssert.MatchesResponseAsync("getUsage", await Client.GetAsync("/v1/usage"));
        await ContractAssert.MatchesResponseAsync("getUsage", await Client.GetAsync("/v1/usage?year=2026&month=5&contextId=default"));
        var bad = await Client.GetAsync("/v1/usage?month=13");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("getUsage", bad);
        using var scoped = Server.CreateClient(await TokenAsync(["search:r"]));
        var forbidden = await scoped.GetAsync("/v1/usage");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ContractAssert.MatchesResponseAsync("getUsage", forbidden);
    }

    [Fact]
    public async Task Usage_answers_the_0_40_shape()
    {
        await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "o-" + Guid.NewGuid().ToString("N"), name = "Org" });
        await Poll.UntilAsync(async () => (await Client.GetFromJsonAsync<JsonElement>("/v1/usage"))
            .GetProperty("identity").GetProperty("entities").GetProperty("writes").GetProperty("count").GetInt64() == 1, "the entity write counted");
        ContractAssert.MatchesDelta("UsageReport040", (await Client.GetFromJsonAsync<JsonElement>("/v1/usage")).GetRawText());

        using var confined = Server.CreateClient(await ScopedKeyMint.MintAsync(Client, Partner.TestTenantId, "default", ["billing:r"]));
        var narrowed = await confined.GetFromJsonAsync<JsonElement>("/v1/usage");
        ContractAssert.MatchesDelta("UsageReport040", narrowed.GetRawText());
        Assert.Equal(JsonValueKind.Null, narrowed.GetProperty("tenants").GetProperty("live").ValueKind);
    }

    /// <summary>The portal's <c>GET /developer/usage</c> serves the same report: the same 0.40 shape.</summary>
    [Fact]
    public async Task The_portal_usage_answers_the_same_shape()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var portal = await op.GetAsync($"/developer/usage?partnerId={Partner.PartnerId}&environment=test");
        Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
        ContractAssert.MatchesDelta("UsageReport040", await portal.Content.ReadAsStringAsync());
    }

    private async Task<string> TokenAsync(string[] actions)
    {
        var response = await Client.PostAsJsonAsync("/v1/auth/token",
            new { scope = new { allowedActions = actions, dataScope = new Dictionary<string, string[]>() } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
