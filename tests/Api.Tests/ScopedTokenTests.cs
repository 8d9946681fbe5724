using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orleans;
using Vectros.Grains.Abstractions.Tokens;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>st_</c> scoped tokens (issue #9 item 5): minted by root keys only, verified by signature, expiry and tenant,
/// enforced by their allowedActions, verifiable offline from the JWKS, and still valid after a key rotation.
/// </summary>
public sealed class ScopedTokenTests : RecordTestBase
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> MintAsync(object request, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/auth/token", request);
        return (response.StatusCode, await JsonAsync(response));
    }

    private async Task<string> MintTokenAsync(string[] actions, object? extra = null)
    {
        var (status, body) = await MintAsync(extra ?? new { scope = new { allowedActions = actions } });
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}");
        return body.GetProperty("token").GetString()!;
    }

    private static async Task<TokenValidationResult> ValidateOfflineAsync(string jwksJson, string token)
    {
        // What a partner's service does: the JWKS document and a standard library, no call back to the API.
        var keys = new JsonWebKeySet(jwksJson);
        return await new JsonWebTokenHandler().ValidateTokenAsync(token["st_".Length..], new TokenValidationParameters
        {
            ValidIssuer = "vectros",
            ValidAudience = "vectros-api",
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = ["ES256"],
        });
    }

    private async Task<string> CreateUserAsync()
    {
        var response = await Client.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    private async Task<HttpStatusCode> PingStatusAsync(string token)
    {
        using var client = Server.CreateClient(token);
        return (await client.GetAsync("/v1/ping")).StatusCode;
    }

    [Fact]
    public async Task A_minted_token_carries_its_claims_and_verifies_offline_from_the_jwks()
    {
        var user = await CreateUserAsync();
        var org = Guid.NewGuid().ToString();
        var (status, body) = await MintAsync(new
        {
            userId = user,
            scope = new
            {
                allowedActions = new[] { "records:crud", "schemas:r" },
                identity = new Dictionary<string, string> { ["userId"] = user },
                dataScope = new Dictionary<string, object?[]> { ["orgId"] = [org, null] },
            },
        });
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var token = body.GetProperty("token").GetString()!;
        Assert.StartsWith("st_", token);
        var expiresAt = body.GetProperty("expiresAt").GetInt64();

        var claims = TokenForge.ReadPayload(token);
        Assert.Equal(Partner.TestTenantId, claims.GetProperty("tenantId").GetString());
        Assert.Equal("test", claims.GetProperty("environment").GetString());
        Assert.Equal("default", claims.GetProperty("contextId").GetString());
        Assert.Equal(user, claims.GetProperty("userId").GetString());
        Assert.Equal(expiresAt, claims.GetProperty("exp").GetInt64());
        Assert.Equal(3600, expiresAt - claims.GetProperty("iat").GetInt64());
        Assert.Equal(["records:crud", "schemas:r"], claims.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        // 0.31 orgId is the 0.40 scope:org (DESIGN §5a); null admits unowned items.
        Assert.Equal([org, null], claims.GetProperty("dataScope").GetProperty("scope:org").EnumerateArray().Select(v => v.GetString()));
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        var header = TokenForge.ReadHeader(token);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());

        var jwks = await Client.GetAsync("/v1/auth/jwks");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.Equal(TimeSpan.FromHours(1), jwks.Headers.CacheControl?.MaxAge);
        var jwksJson = await jwks.Content.ReadAsStringAsync();
        var key = JsonDocument.Parse(jwksJson).RootElement.GetProperty("keys").EnumerateArray()
            .Single(k => k.GetProperty("kid").GetString() == header.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.Equal("P-256", key.GetProperty("crv").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());

        var result = await ValidateOfflineAsync(jwksJson, token);
        Assert.True(result.IsValid, result.Exception?.Message);

        // Two mints, two ids.
        var again = await MintTokenAsync(["schemas:r"]);
        Assert.NotEqual(claims.GetProperty("jti").GetString(), TokenForge.ReadPayload(again).GetProperty("jti").GetString());
    }

    [Fact]
    public async Task A_token_may_do_what_its_actions_allow_and_gets_403_for_the_rest()
    {
        await CreateBareSchemaAsync("ticket");
        await CreateBareSchemaAsync("secret");
        var token = await MintTokenAsync(["schemas:r", "records:cr:ticket"]);
        using var client = Server.CreateClient(token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/schemas")).StatusCode);
        var created = await client.PostAsJsonAsync("/v1/records", new { typeName = "ticket", payload = new { } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync("/v1/schemas", new { typeName = "nope", displayName = "Nope" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await client.PostAsJsonAsync("/v1/records", new { typeName = "secret", payload = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/v1/app-contexts")).StatusCode);
    }

    [Fact]
    public async Task A_users_access_profile_bounds_the_tokens_minted_for_them()
    {
        var userId = await CreateUserAsync();
        var profiles = "/v1/app-contexts/default/profiles";
        var profile = await Client.PostAsJsonAsync(profiles, new
        {
            principalId = $"usr_{userId}",
            scopes = new[] { new { allowed_actions = new[] { "records:r:ticket" }, data_scope = new { } } },
        });
        Assert.Equal(HttpStatusCode.Created, profile.StatusCode);

        // Within the profile: minted. Wider (another verb, another type, everything): 403, and no token.
        var (within, _) = await MintAsync(new { userId, scope = new { allowedActions = new[] { "records:r:ticket" } } });
        Assert.Equal(HttpStatusCode.OK, within);
        foreach (var wider in new[] { "records:cr:ticket", "records:r:secret", "*" })
        {
            var (status, body) = await MintAsync(new { userId, scope = new { allowedActions = new[] { wider } } });
            Assert.True(status == HttpStatusCode.Forbidden, $"{wider}: {status} {body}");
            Assert.False(body.TryGetProperty("token", out _));
        }

        // A suspended profile mints nothing; a user without a profile gets what the root key states (0.31).
        (await Client.PutAsJsonAsync($"{profiles}/usr_{userId}", new { status = "suspended" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await MintAsync(new { userId, scope = new { allowedActions = new[] { "records:r:ticket" } } })).Status);
        var other = await CreateUserAsync();
        Assert.Equal(HttpStatusCode.OK, (await MintAsync(new { userId = other, scope = new { allowedActions = new[] { "records:cr:ticket" } } })).Status);
    }

    [Fact]
    public async Task Only_root_keys_mint_and_a_token_cannot_mint_another()
    {
        var token = await MintTokenAsync(["*"]);
        using var client = Server.CreateClient(token);
        var (status, body) = await MintAsync(new { scope = new { allowedActions = new[] { "schemas:r" } } }, client);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FORBIDDEN", body.GetProperty("errorCode").GetString());
    }

    [Theory]
    [InlineData(3601)]
    [InlineData(86400)]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task A_lifetime_over_one_hour_or_under_a_second_is_400(int seconds)
    {
        var (status, body) = await MintAsync(new { scope = new { allowedActions = new[] { "schemas:r" } }, expiresInSeconds = seconds });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("expiresInSeconds", body.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_shorter_lifetime_and_a_named_context_are_honoured()
    {
        var created = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "clinic", name = "Clinic" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var token = await MintTokenAsync([], new { scope = new { allowedActions = new[] { "schemas:r" } }, expiresInSeconds = 60, contextId = "clinic" });
        var claims = TokenForge.ReadPayload(token);
        Assert.Equal(60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal("clinic", claims.GetProperty("contextId").GetString());
    }

    [Fact]
    public async Task An_unknown_user_is_400()
    {
        foreach (var userId in new[] { Guid.NewGuid().ToString(), "not-a-uuid" })
        {
            var (status, body) = await MintAsync(new { userId, scope = new { allowedActions = new[] { "schemas:r" } } });
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("userId", body.GetProperty("details").GetProperty("field").GetString());
        }
    }

    [Theory]
    [InlineData("nowhere")]
    [InlineData("NOT-valid")]
    public async Task An_unknown_context_is_a_uniform_404(string contextId)
    {
        var (status, body) = await MintAsync(new { scope = new { allowedActions = new[] { "schemas:r" } }, contextId });
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("NOT_FOUND", body.GetProperty("errorCode").GetString());
    }

    [Theory]
    [InlineData("""{}""", "scope")]
    [InlineData("""{"scope":{"allowedActions":[]}}""", "scope.allowedActions")]
    [InlineData("""{"scope":{"allowedActions":["admin:keys"]}}""", "scope.allowedActions[0]")]
    [InlineData("""{"scope":{"allowedActions":["records:xyz"]}}""", "scope.allowedActions[0]")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r:oops"]}}""", "scope.allowedActions[0]")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r"],"dataScope":{"colour":["x"]}}}""", "scope.dataScope.colour")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r"],"dataScope":{"orgId":["${{ whatever }}"]}}}""", "scope.dataScope.orgId")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r"],"dataScope":{"orgId":["a"],"scope:org":["b"]}}}""", "scope.dataScope.scope:org")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r"],"identity":{"team":"x"}}}""", "scope.identity.team")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r"]},"userId":"bad id!"}""", "userId")]
    [InlineData("""{"scope":{"allowedActions":["schemas:r"]},"surprise":1}""", "$.surprise")]
    public async Task A_scope_that_does_not_parse_is_400_naming_the_field(string json, string field)
    {
        var response = await Client.PostAsync("/v1/auth/token", RawJson(json));
        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Ping_with_a_token_reports_the_token_and_its_0_40_data_scope()
    {
        var user = await CreateUserAsync();
        var org = Guid.NewGuid().ToString();
        var (_, minted) = await MintAsync(new
        {
            userId = user,
            scope = new
            {
                allowedActions = new[] { "schemas:r" },
                identity = new Dictionary<string, string> { ["userId"] = user, ["scope:team"] = "blue" },
                dataScope = new Dictionary<string, object?[]> { ["orgId"] = [org] },
            },
        });
        var token = minted.GetProperty("token").GetString()!;
        using var client = Server.CreateClient(token);
        var ping = await JsonAsync(await client.GetAsync("/v1/ping"));

        Assert.Equal("token", ping.GetProperty("principalType").GetString());
        Assert.Equal(TokenForge.ReadPayload(token).GetProperty("jti").GetString(), ping.GetProperty("principalKeyId").GetString());
        Assert.Equal(minted.GetProperty("expiresAt").GetInt64(), ping.GetProperty("tokenExpiresAt").GetInt64());
        Assert.Equal(Partner.TestTenantId, ping.GetProperty("tenantId").GetString());
        Assert.Equal(["schemas:r"], ping.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.False(ping.TryGetProperty("principalLabel", out _));
        var scope = ping.GetProperty("dataScope");
        Assert.Equal(user, scope.GetProperty("userId").GetString());
        Assert.Equal(["team:blue", $"org:{org}"], scope.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(org, scope.GetProperty("orgId").GetString());
    }

    [Fact]
    public async Task Expired_tampered_forged_and_foreign_tokens_are_401()
    {
        var token = await MintTokenAsync(["schemas:r"]);
        Assert.Equal(HttpStatusCode.OK, await PingStatusAsync(token));
        var (kid, serverKey) = await TokenForge.ServerKeyAsync(Db);
        using (serverKey)
        {
            // The server's own key, correctly signed, but expired (beyond the 30 s skew).
            var expired = TokenForge.Sign(serverKey, kid, TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(-2)));
            Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(expired));
            var fresh = TokenForge.Sign(serverKey, kid, TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5)));
            Assert.Equal(HttpStatusCode.OK, await PingStatusAsync(fresh));

            // Correctly signed, naming a tenant that does not exist, or the right tenant in the wrong environment.
            Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(
                TokenForge.Sign(serverKey, kid, TokenForge.Payload("ten_test_nobody", DateTimeOffset.UtcNow.AddMinutes(5)))));
            Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(
                TokenForge.Sign(serverKey, kid, TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5), "live"))));

            // Unsigned, under the real kid.
            Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(
                TokenForge.Unsigned(kid, TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5)))));

            // Another platform's token type signed with our key is not an st_ token.
            Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(
                TokenForge.Sign(serverKey, kid, TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5)), typ: "JWT")));
        }

        // Tampered: another partner's tenant swapped into a genuine token; the signature no longer matches.
        var other = await Server.CreatePartnerAsync("token-foreign");
        var claims = JsonSerializer.Deserialize<Dictionary<string, object?>>(TokenForge.ReadPayload(token).GetRawText())!;
        claims["tenantId"] = other.TestTenantId;
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(TokenForge.WithPayload(token, claims)));
        claims["tenantId"] = Partner.TestTenantId;
        claims["allowedActions"] = new[] { "*" };
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(TokenForge.WithPayload(token, claims)));

        // Forged: a stranger's key, under the server's kid and under a kid of its own.
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = TokenForge.Payload(other.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(TokenForge.Sign(stranger, kid, forged)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(TokenForge.Sign(stranger, "vk_unknown", forged)));

        // Garbage after the prefix, and a truncated signature.
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync("st_not-a-jwt"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync("st_a.b.c"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync("st_%%%.###.!!!"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync("st_eyJhbGciOiJFUzI1NiJ9.e30.AAAA"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync("st_eyJhbGciOiJub25lIiwia2lkIjoieCJ9.e30."));
        Assert.Equal(HttpStatusCode.Unauthorized, await PingStatusAsync(token[..^10]));
    }

    [Fact]
    public async Task A_rotation_keeps_earlier_tokens_valid_online_and_offline()
    {
        var before = await MintTokenAsync(["schemas:r"]);
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var newKid = await grains.GetGrain<ISigningKeyGrain>(ISigningKeyGrain.Key).RotateAsync();
        var after = await MintTokenAsync(["schemas:r"]);

        Assert.Equal(newKid, TokenForge.ReadHeader(after).GetProperty("kid").GetString());
        Assert.NotEqual(newKid, TokenForge.ReadHeader(before).GetProperty("kid").GetString());
        Assert.Equal(HttpStatusCode.OK, await PingStatusAsync(before));
        Assert.Equal(HttpStatusCode.OK, await PingStatusAsync(after));

        var jwksJson = await (await Client.GetAsync("/v1/auth/jwks")).Content.ReadAsStringAsync();
        var kids = JsonDocument.Parse(jwksJson).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToList();
        Assert.Contains(newKid, kids);
        Assert.Contains(TokenForge.ReadHeader(before).GetProperty("kid").GetString(), kids);
        Assert.True((await ValidateOfflineAsync(jwksJson, before)).IsValid);
        Assert.True((await ValidateOfflineAsync(jwksJson, after)).IsValid);

        // The retired key's private half is gone; only its public key remains, until its tokens have expired.
        await using var cmd = Db.CreateCommand("SELECT private_key_enc IS NULL, publish_until > now() + interval '1 hour' FROM signing_keys WHERE kid = $1");
        cmd.Parameters.AddWithValue(TokenForge.ReadHeader(before).GetProperty("kid").GetString()!);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetBoolean(0));
        Assert.True(reader.GetBoolean(1));
    }
}
