using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// mintToken, getJwks and ping with an <c>st_</c> token (issue #9 item 5): each response against the spec's
/// component schemas (0.31) and ping also against the 0.40 shape of <c>Delta040/auth.yaml</c>.
/// </summary>
public sealed class TokenContractTests : ApiTestBase
{
    private async Task<string> MintAsync()
    {
        var user = await Client.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var userId = JsonDocument.Parse(await user.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var response = await Client.PostAsJsonAsync("/v1/auth/token", new
        {
            userId,
            scope = new
            {
                allowedActions = new[] { "records:crud", "schemas:r" },
                identity = new Dictionary<string, string> { ["scope:team"] = "blue" },
                dataScope = new Dictionary<string, object?[]> { ["orgId"] = [Guid.NewGuid().ToString(), null] },
            },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    [SpecFact]
    public async Task Mint_token_answers_the_spec_shapes()
    {
        var ok = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await ContractAssert.MatchesResponseAsync("mintToken", ok);

        var bad = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } }, expiresInSeconds = 86400 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("mintToken", bad);

        using var tokenClient = Server.CreateClient(await MintAsync());
        var forbidden = await tokenClient.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ContractAssert.MatchesResponseAsync("mintToken", forbidden);
    }

    [Fact]
    public async Task Mint_token_errors_use_the_0_40_error_body()
    {
        // Since 0.40 the 400 and 404 of POST /v1/auth/token carry the standard body (API-DELTA §1).
        var bad = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "nope" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await bad.Content.ReadAsStringAsync());
        var missing = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } }, contextId = "absent" });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await missing.Content.ReadAsStringAsync());
    }

    [SpecFact]
    public async Task Get_jwks_answers_the_spec_shape()
    {
        await MintAsync();
        using var tokenClient = Server.CreateClient(await MintAsync());
        var response = await tokenClient.GetAsync("/v1/auth/jwks");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await ContractAssert.MatchesResponseAsync("getJwks", response);
    }

    [SpecFact]
    public async Task Ping_with_a_token_answers_the_spec_shape()
    {
        using var tokenClient = Server.CreateClient(await MintAsync());
        await ContractAssert.MatchesResponseAsync("ping", await tokenClient.GetAsync("/v1/ping"));
    }

    [Fact]
    public async Task Ping_answers_the_0_40_shape_for_root_keys_and_tokens()
    {
        ContractAssert.MatchesDelta("PingResponse040", await (await Client.GetAsync("/v1/ping")).Content.ReadAsStringAsync());
        using var tokenClient = Server.CreateClient(await MintAsync());
        var body = await (await tokenClient.GetAsync("/v1/ping")).Content.ReadAsStringAsync();
        ContractAssert.MatchesDelta("PingResponse040", body);
        Assert.Equal(["team:blue"], JsonDocument.Parse(body).RootElement.GetProperty("dataScope").GetProperty("scopes")
            .EnumerateArray().Select(s => s.GetString()));
    }
}
