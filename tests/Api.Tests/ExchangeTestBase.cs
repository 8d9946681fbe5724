using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Base of the issuer and token-exchange tests: an OpenID provider of the class's own, and helpers that register an
/// issuer in a fresh app context (a context has at most one issuer) and call the exchange without any credential.
/// </summary>
public abstract class ExchangeTestBase : ApiTestBase
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string IdTokenType = "urn:ietf:params:oauth:token-type:id_token";

    protected FakeOpenIdProvider Provider { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = await FakeOpenIdProvider.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>A new app context with a self-signup role (<c>schemas:r</c>, <c>records:r:note</c>) named <c>member</c>.</summary>
    protected async Task<string> ContextWithRoleAsync(HttpClient? client = null)
    {
        client ??= Client;
        var contextId = "x" + Guid.NewGuid().ToString("N")[..12];
        await CreatedAsync(await client.PostAsJsonAsync("/v1/app-contexts", new { contextId, name = "Exchange" }));
        await CreatedAsync(await client.PostAsJsonAsync($"/v1/app-contexts/{contextId}/roles", new
        {
            roleId = "member",
            name = "Member",
            scopes = new[] { new { allowed_actions = new[] { "schemas:r", "records:r:note" } } },
        }));
        return contextId;
    }

    /// <summary>Registers the provider for <paramref name="contextId"/> with a unique audience; returns the issuerId and audience.</summary>
    protected async Task<(string IssuerId, string Audience)> RegisterAsync(string contextId, bool selfSignup = true, HttpClient? client = null)
    {
        var issuerId = "i" + Guid.NewGuid().ToString("N")[..12];
        var audience = "app-" + Guid.NewGuid().ToString("N");
        object body = selfSignup
            ? new { issuerId, issuer = Provider.Issuer, jwksUri = Provider.JwksUri, audience, contextId, selfSignupPolicies = new[] { new { signup_type = "member", role_id = "member" } } }
            : new { issuerId, issuer = Provider.Issuer, jwksUri = Provider.JwksUri, audience, contextId };
        await CreatedAsync(await (client ?? Client).PostAsJsonAsync("/v1/auth/issuers", body));
        return (issuerId, audience);
    }

    /// <summary>POSTs the exchange with no Authorization header; returns the status and the JSON body.</summary>
    protected async Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(object body)
    {
        using var anonymous = Server.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/v1/auth/token/exchange", body);
        return (response.StatusCode, await JsonAsync(response));
    }

    protected Task<(HttpStatusCode Status, JsonElement Body)> ExchangeAsync(string idToken, string? contextId = null) =>
        ExchangeAsync(new Dictionary<string, string?>
        {
            ["grant_type"] = GrantType,
            ["subject_token"] = idToken,
            ["subject_token_type"] = IdTokenType,
            ["context_id"] = contextId,
        }.Where(p => p.Value is not null).ToDictionary());

    /// <summary>An OAuth error body (RFC 6749 §5.2), never the standard error body, never echoing the token.</summary>
    protected static void AssertOAuthError((HttpStatusCode Status, JsonElement Body) result, HttpStatusCode status, string error, string? token = null)
    {
        Assert.True(result.Status == status, $"expected {status}, got {result.Status}: {result.Body}");
        Assert.Equal(error, result.Body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(result.Body.GetProperty("error_description").GetString()));
        Assert.False(result.Body.TryGetProperty("errorCode", out _));
        if (token is not null)
        {
            Assert.DoesNotContain(token, result.Body.GetRawText(), StringComparison.Ordinal);
        }
    }

    protected async Task<long> CountAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.AddWithValue(arg);
        }

        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Users, profiles and bindings of the partner's test tenant: what an exchange may write.</summary>
    protected async Task<(long Users, long Profiles, long Bindings)> WrittenAsync() => (
        await CountAsync("SELECT count(*) FROM users WHERE tenant_id = $1", Partner.TestTenantId),
        await CountAsync("SELECT count(*) FROM access_profiles WHERE tenant_id = $1", Partner.TestTenantId),
        await CountAsync("SELECT count(*) FROM auth_issuer_bindings WHERE tenant_id = $1", Partner.TestTenantId));

    protected static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.RequestMessage?.RequestUri}: {response.StatusCode}: {body}");
        return body;
    }
}
