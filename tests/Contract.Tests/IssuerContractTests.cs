using System.Net;
using System.Net.Http.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// The 0.40 issuer operations and the token exchange (API-DELTA-0.40 §8.7, §1 "OAuth errors"), over real HTTP against
/// an OpenID provider on loopback, checked against <c>Delta040/issuers.yaml</c> (errors of the issuer routes against
/// the 0.40 error body; the exchange's against the OAuth error body).
/// </summary>
public sealed class IssuerContractTests : ApiTestBase
{
    [Fact]
    public async Task Issuer_operations_and_the_exchange_answer_the_0_40_shapes()
    {
        await using var provider = await FakeOpenIdProvider.StartAsync();
        const string contextId = "issuer-shapes";
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId, name = "Shapes" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync($"/v1/app-contexts/{contextId}/roles", new
        {
            roleId = "member", name = "Member", scopes = new[] { new { allowed_actions = new[] { "schemas:r" } } },
        })).StatusCode);
        var audience = "shapes-" + Guid.NewGuid().ToString("N");
        var body = new
        {
            issuerId = "shapes", issuer = provider.Issuer, jwksUri = provider.JwksUri, audience, contextId,
            selfSignupPolicies = new[] { new { signup_type = "member", role_id = "member" } },
        };

        await MatchesAsync("IssuerResponse040", await Client.PostAsJsonAsync("/v1/auth/issuers", body), HttpStatusCode.Created);
        await MatchesAsync("IssuerResponse040", await Client.PostAsJsonAsync("/v1/auth/issuers", body), HttpStatusCode.OK);
        await MatchesAsync("ErrorResponse040", await Client.PostAsJsonAsync("/v1/auth/issuers", body with { issuerId = "x" }), HttpStatusCode.BadRequest);
        await MatchesAsync("IssuerResponse040", await Client.GetAsync("/v1/auth/issuers/shapes"), HttpStatusCode.OK);
        await MatchesAsync("ErrorResponse040", await Client.GetAsync("/v1/auth/issuers/absent"), HttpStatusCode.NotFound);
        await MatchesAsync("IssuerPage040", await Client.GetAsync("/v1/auth/issuers?limit=1"), HttpStatusCode.OK);

        using var anonymous = Server.CreateClient();
        var exchange = new Dictionary<string, string>
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:token-exchange",
            ["subject_token"] = provider.IdToken(audience, "shape-sub", "shape@example.com"),
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:id_token",
        };
        await MatchesAsync("TokenExchangeResponse040", await anonymous.PostAsJsonAsync("/v1/auth/token/exchange", exchange), HttpStatusCode.OK);
        await MatchesAsync("OAuthError040",
            await anonymous.PostAsJsonAsync("/v1/auth/token/exchange", new Dictionary<string, string>(exchange) { ["grant_type"] = "password" }),
            HttpStatusCode.BadRequest);
        await MatchesAsync("OAuthError040",
            await anonymous.PostAsJsonAsync("/v1/auth/token/exchange", new Dictionary<string, string>(exchange)
            {
                ["subject_token"] = provider.IdToken(audience, "shape-sub", lifetime: TimeSpan.FromMinutes(-5)),
            }),
            HttpStatusCode.Unauthorized);

        // Bound a user: 409 with the 0.40 error body; a fresh issuer deletes with 204.
        await MatchesAsync("ErrorResponse040", await Client.DeleteAsync("/v1/auth/issuers/shapes"), HttpStatusCode.Conflict);
    }

    private static async Task MatchesAsync(string shape, HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{shape}: {response.StatusCode} {text}");
        ContractAssert.MatchesDelta(shape, text);
    }
}
