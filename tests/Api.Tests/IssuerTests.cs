using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary><c>/v1/auth/issuers</c> (API-DELTA §8.7): registration rules, the response shape, listing, deletion, root only.</summary>
public sealed class IssuerTests : ExchangeTestBase
{
    [Fact]
    public async Task Registration_is_idempotent_by_issuerId_and_reads_back()
    {
        var contextId = await ContextWithRoleAsync();
        var body = new
        {
            issuerId = "acme-" + Guid.NewGuid().ToString("N")[..8],
            issuer = Provider.Issuer,
            jwksUri = Provider.JwksUri,
            audience = "aud-" + Guid.NewGuid().ToString("N"),
            contextId,
            selfSignupPolicies = new object[] { new { signupType = "member", roleId = "member" } },
        };
        var created = await CreatedAsync(await Client.PostAsJsonAsync("/v1/auth/issuers", body));
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal(body.issuerId, created.GetProperty("issuerId").GetString());
        Assert.Equal("sub", created.GetProperty("subClaim").GetString());
        Assert.Equal("email", created.GetProperty("emailClaim").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        var policy = Assert.Single(created.GetProperty("selfSignupPolicies").EnumerateArray());
        Assert.Equal("member", policy.GetProperty("signup_type").GetString());
        Assert.Equal("member", policy.GetProperty("role_id").GetString());

        var again = await Client.PostAsJsonAsync("/v1/auth/issuers", body);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False((await JsonAsync(again)).GetProperty("created").GetBoolean());

        var one = await Client.GetFromJsonAsync<JsonElement>($"/v1/auth/issuers/{body.issuerId}");
        Assert.Equal(body.audience, one.GetProperty("audience").GetString());
        Assert.False(one.TryGetProperty("created", out _));
        var list = await Client.GetFromJsonAsync<JsonElement>("/v1/auth/issuers?limit=100");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), i => i.GetProperty("issuerId").GetString() == body.issuerId);
        Assert.Equal(JsonValueKind.Null, list.GetProperty("nextCursor").ValueKind);

        // No policies: the member is absent, not empty.
        var bare = await ContextWithRoleAsync();
        var (bareId, _) = await RegisterAsync(bare, selfSignup: false);
        Assert.False((await Client.GetFromJsonAsync<JsonElement>($"/v1/auth/issuers/{bareId}")).TryGetProperty("selfSignupPolicies", out _));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/auth/issuers/{bareId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/auth/issuers/{bareId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/v1/auth/issuers/{bareId}")).StatusCode);
    }

    [Fact]
    public async Task Clashes_and_bad_fields_are_400s()
    {
        var contextId = await ContextWithRoleAsync();
        var (issuerId, audience) = await RegisterAsync(contextId);
        var other = await ContextWithRoleAsync();
        object Body(string? id = null, string? aud = null, string? ctx = null, string? jwks = null, object? policies = null) => new
        {
            issuerId = id ?? "n" + Guid.NewGuid().ToString("N")[..10],
            issuer = Provider.Issuer,
            jwksUri = jwks ?? Provider.JwksUri,
            audience = aud ?? "aud-" + Guid.NewGuid().ToString("N"),
            contextId = ctx ?? other,
            selfSignupPolicies = policies,
        };

        // (issuer, audience) taken, even by another tenant.
        await BadAsync(Body(aud: audience), "issuer");
        var stranger = await Server.CreatePartnerAsync("issuer-stranger");
        using var strangerClient = Server.CreateClient(stranger.TestKey.RawKey);
        var strangerContext = await ContextWithRoleAsync(strangerClient);
        await BadAsync(Body(aud: audience, ctx: strangerContext), "issuer", strangerClient);

        // The context already has an issuer; the issuerId belongs to another context (not echoed).
        await BadAsync(Body(ctx: contextId), "contextId");
        var clash = await BadAsync(Body(id: issuerId), "issuerId");
        Assert.DoesNotContain(issuerId, clash.GetRawText(), StringComparison.Ordinal);

        // Policy roles: must exist, may not be elevated.
        await CreatedAsync(await Client.PostAsJsonAsync($"/v1/app-contexts/{other}/roles", new
        {
            roleId = "auditor",
            name = "Auditor",
            scopes = new[] { new { allowed_actions = new[] { "logs:r" }, granted_capabilities = new[] { "forensic-read" } } },
        }));
        await BadAsync(Body(policies: new[] { new { signup_type = "a", role_id = "auditor" } }), "selfSignupPolicies[0].role_id");
        await BadAsync(Body(policies: new[] { new { signup_type = "a", role_id = "nobody" } }), "selfSignupPolicies[0].role_id");
        await BadAsync(Body(policies: new[] { new { signup_type = "a" } }), "selfSignupPolicies[0].role_id");
        await BadAsync(Body(policies: new[] { new { signup_type = "a", role_id = "x#y" } }), "selfSignupPolicies[0].role_id");
        await BadAsync(Body(policies: new[] { new { signup_type = "a", signupType = "a", role_id = "member" } }), "selfSignupPolicies[0].signup_type");
        await BadAsync(Body(policies: new[] { new { signup_type = "a", role_id = "member", extra = 1 } }), "selfSignupPolicies[0].extra");

        // Shape: https only (loopback http is allowed on this test server only), required fields, the id grammar.
        await BadAsync(Body(jwks: "http://idp.example.com/jwks"), "jwksUri");
        await BadAsync(Body(jwks: "not a url"), "jwksUri");
        await BadAsync(Body(id: "Bad_Id"), "issuerId");
        await BadAsync(new { issuer = "https://x", jwksUri = "https://x/jwks", audience = "a", contextId = other }, "issuerId");
        await BadAsync(new { issuerId = "abc", jwksUri = "https://x/jwks", audience = "a", contextId = other }, "issuer");
        await BadAsync(new { issuerId = "abc", issuer = "https://x", jwksUri = "https://x/jwks", contextId = other }, "audience");
        await BadAsync(new { issuerId = "abc", issuer = "https://x", jwksUri = "https://x/jwks", audience = "a" }, "contextId");
        await BadAsync(Body(ctx: "no-such-context"), "contextId");

        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM auth_issuers WHERE tenant_id = $1 AND context_id = $2", Partner.TestTenantId, other));
    }

    [Fact]
    public async Task A_scoped_caller_cannot_manage_issuers()
    {
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } });
        Assert.True(mint.IsSuccessStatusCode, await mint.Content.ReadAsStringAsync());
        using var scoped = Server.CreateClient((await JsonAsync(mint)).GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync("/v1/auth/issuers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.PostAsJsonAsync("/v1/auth/issuers", new { issuerId = "abc" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.GetAsync("/v1/auth/issuers/abc")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scoped.DeleteAsync("/v1/auth/issuers/abc")).StatusCode);
    }

    private async Task<JsonElement> BadAsync(object body, string field, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/auth/issuers", body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {response.StatusCode} {json}");
        Assert.Equal(field, json.GetProperty("details").GetProperty("field").GetString());
        return json;
    }
}
