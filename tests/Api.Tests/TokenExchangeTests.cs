using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>POST /v1/auth/token/exchange</c> (RFC 8693, API-DELTA §8.7) end to end: an ID token from a real OpenID provider
/// on loopback becomes a one-hour <c>st_</c> token that works on the API; self-signup creates the user and the profile
/// once; every bad token is the right OAuth error and writes nothing.
/// </summary>
public sealed class TokenExchangeTests : ExchangeTestBase
{
    [Fact]
    public async Task A_first_sign_in_signs_up_once_and_the_token_works_on_the_api()
    {
        var contextId = await ContextWithRoleAsync();
        var (issuerId, audience) = await RegisterAsync(contextId);
        var before = await WrittenAsync();
        var idToken = Provider.IdToken(audience, "alice-sub", "alice@example.com");

        var first = await ExchangeAsync(idToken);
        Assert.True(first.Status == HttpStatusCode.OK, first.Body.ToString());
        var token = first.Body.GetProperty("access_token").GetString()!;
        Assert.StartsWith("st_", token, StringComparison.Ordinal);
        Assert.Equal("urn:ietf:params:oauth:token-type:access_token", first.Body.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", first.Body.GetProperty("token_type").GetString());
        Assert.Equal(3600, first.Body.GetProperty("expires_in").GetInt32());

        // One user (with the email claim), one profile with the policy's role, one binding.
        Assert.Equal((before.Users + 1, before.Profiles + 1, before.Bindings + 1), await WrittenAsync());
        var userId = (await CountAsync("SELECT count(*) FROM users WHERE tenant_id = $1 AND email = 'alice@example.com'", Partner.TestTenantId)) == 1
            ? await UserIdAsync("alice@example.com") : throw new InvalidOperationException("no user");
        Assert.Equal(1, await CountAsync(
            "SELECT count(*) FROM access_profiles WHERE tenant_id = $1 AND context_id = $2 AND principal_id = $3 AND role_id = 'member'",
            Partner.TestTenantId, contextId, "usr_" + userId));

        using var api = Server.CreateClient(token);
        var ping = await api.GetFromJsonAsync<JsonElement>("/v1/ping");
        Assert.Equal(Partner.TestTenantId, ping.GetProperty("tenantId").GetString());
        Assert.Equal(userId.ToString(), ping.GetProperty("dataScope").GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/schemas")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.PostAsJsonAsync("/v1/folders", new { name = "not granted" })).StatusCode);

        // The second sign-in reuses the binding: nothing new is written, and the token is another one.
        var second = await ExchangeAsync(Provider.IdToken(audience, "alice-sub", "alice@example.com", ec: true));
        Assert.True(second.Status == HttpStatusCode.OK, second.Body.ToString());
        Assert.NotEqual(token, second.Body.GetProperty("access_token").GetString());
        Assert.Equal((before.Users + 1, before.Profiles + 1, before.Bindings + 1), await WrittenAsync());

        // An issuer that bound a user cannot be deleted.
        Assert.Equal(HttpStatusCode.Conflict, (await Client.DeleteAsync($"/v1/auth/issuers/{issuerId}")).StatusCode);
    }

    [Fact]
    public async Task An_exchanged_token_carries_every_clause_of_the_profile_with_its_capabilities()
    {
        // A role of two clauses: the token must hold both (a one-clause token would lose the second), each with its own
        // data scope, and the capability of the first.
        var contextId = "x" + Guid.NewGuid().ToString("N")[..12];
        await CreatedAsync(await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId, name = "Two clauses" }));
        await CreatedAsync(await Client.PostAsJsonAsync($"/v1/app-contexts/{contextId}/roles", new
        {
            roleId = "member",
            name = "Member",
            scopes = new object[]
            {
                new { allowed_actions = new[] { "schemas:r" }, granted_capabilities = new[] { "member-lifecycle" } },
                new { allowed_actions = new[] { "folders:cr" }, data_scope = new Dictionary<string, string[]> { ["userId"] = ["${{ self.userId }}"] } },
            },
        }));
        var (_, audience) = await RegisterAsync(contextId);
        var exchanged = await ExchangeAsync(Provider.IdToken(audience, "carol-sub", "carol@example.com"));
        Assert.True(exchanged.Status == HttpStatusCode.OK, exchanged.Body.ToString());

        using var api = Server.CreateClient(exchanged.Body.GetProperty("access_token").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/schemas")).StatusCode);
        var folder = await api.PostAsJsonAsync("/v1/folders", new { name = "Carol's" });
        Assert.True(folder.StatusCode == HttpStatusCode.Created, await folder.Content.ReadAsStringAsync());
        var owner = (await JsonAsync(folder)).GetProperty("userId").GetString();
        Assert.Equal(await UserIdAsync("carol@example.com"), Guid.Parse(owner!));

        // The second clause places only the caller's own user.
        var other = await CreatedAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" }));
        Assert.Equal(HttpStatusCode.Forbidden,
            (await api.PostAsJsonAsync("/v1/folders", new { name = "Not mine", userId = other.GetProperty("id").GetString() })).StatusCode);
        var ping = await api.GetFromJsonAsync<JsonElement>("/v1/ping");
        var actions = ping.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("schemas:r", actions);
        Assert.Contains("folders:cr", actions);
    }

    [Fact]
    public async Task An_invite_token_accepts_the_invitation_once_through_the_external_sign_in()
    {
        var contextId = await ContextWithRoleAsync();
        var (_, audience) = await RegisterAsync(contextId, selfSignup: false);
        var invite = await CreatedAsync(await Client.PostAsJsonAsync("/v1/users/invite", new
        {
            email = "dana@example.com",
            contextId,
            accessProfile = new { roleId = "member" },
            acceptUrl = "https://app.example.com/accept",
            sendEmail = false,
        }));
        var userId = invite.GetProperty("userId").GetString()!;
        var inviteToken = invite.GetProperty("inviteToken").GetString()!;
        object Exchange(string subject, string email, string token) => new
        {
            grant_type = GrantType,
            subject_token = Provider.IdToken(audience, subject, email),
            subject_token_type = IdTokenType,
            invite_token = token,
        };

        // A forged invitation and another address are refused, and nothing is activated.
        AssertOAuthError(await ExchangeAsync(Exchange("dana-sub", "dana@example.com", inviteToken + "x")), HttpStatusCode.BadRequest, "invalid_request", inviteToken);
        AssertOAuthError(await ExchangeAsync(Exchange("mallory-sub", "mallory@example.com", inviteToken)), HttpStatusCode.Forbidden, "access_denied", inviteToken);
        Assert.Equal("PENDING", (await JsonAsync(await Client.GetAsync($"/v1/users/{userId}"))).GetProperty("status").GetString());

        var accepted = await ExchangeAsync(Exchange("dana-sub", "Dana@Example.com", inviteToken));
        Assert.True(accepted.Status == HttpStatusCode.OK, accepted.Body.ToString());
        using var api = Server.CreateClient(accepted.Body.GetProperty("access_token").GetString()!);
        Assert.Equal(userId, (await api.GetFromJsonAsync<JsonElement>("/v1/ping")).GetProperty("dataScope").GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/schemas")).StatusCode);
        Assert.Equal("ACTIVE", (await JsonAsync(await Client.GetAsync($"/v1/users/{userId}"))).GetProperty("status").GetString());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM auth_issuer_bindings WHERE tenant_id = $1 AND subject = 'dana-sub'", Partner.TestTenantId));

        // The same person retrying signs in again; anyone else presenting the used invitation is refused.
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(Exchange("dana-sub", "dana@example.com", inviteToken))).Status);
        AssertOAuthError(await ExchangeAsync(Exchange("eve-sub", "dana@example.com", inviteToken)), HttpStatusCode.BadRequest, "invalid_request", inviteToken);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM auth_issuer_bindings WHERE tenant_id = $1 AND subject = 'eve-sub'", Partner.TestTenantId));
    }

    [Fact]
    public async Task A_form_encoded_exchange_works_and_the_path_is_matched_in_any_case()
    {
        var contextId = await ContextWithRoleAsync();
        var (_, audience) = await RegisterAsync(contextId);
        using var anonymous = Server.CreateClient();
        var response = await anonymous.PostAsync("/V1/Auth/Token/Exchange", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantType,
            ["subject_token"] = Provider.IdToken(audience, "form-sub", "form@example.com", ec: true),
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:jwt",
            ["requested_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["context_id"] = contextId,
            ["client_id"] = "ignored-extra",
        }));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());

        // Only POST on that path goes without a credential.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/auth/token/exchange")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/auth/issuers")).StatusCode);
    }

    [Fact]
    public async Task Bad_tokens_and_requests_are_OAuth_errors_and_write_nothing()
    {
        var contextId = await ContextWithRoleAsync();
        var (_, audience) = await RegisterAsync(contextId);
        var before = await WrittenAsync();

        var expired = Provider.IdToken(audience, "bob", "bob@example.com", lifetime: TimeSpan.FromMinutes(-10));
        AssertOAuthError(await ExchangeAsync(expired), HttpStatusCode.Unauthorized, "invalid_grant", expired);

        var good = Provider.IdToken(audience, "bob", "bob@example.com");
        var parts = good.Split('.');
        var tampered = $"{parts[0]}.{parts[1]}.{(parts[2][0] == 'A' ? 'B' : 'A')}{parts[2][1..]}";
        AssertOAuthError(await ExchangeAsync(tampered), HttpStatusCode.Unauthorized, "invalid_grant", tampered);
        var swappedPayload = $"{parts[0]}.{FakeOpenIdProvider.Sign("x", RSA.Create(2048), Provider.Claims(audience, "mallory")).Split('.')[1]}.{parts[2]}";
        AssertOAuthError(await ExchangeAsync(swappedPayload), HttpStatusCode.Unauthorized, "invalid_grant");

        var foreignAudience = Provider.IdToken("someone-elses-app", "bob");
        AssertOAuthError(await ExchangeAsync(foreignAudience), HttpStatusCode.Unauthorized, "invalid_grant", foreignAudience);

        var wrongIssuer = Provider.IdToken(audience, "bob", claims: new() { ["iss"] = "https://evil.example.com" });
        AssertOAuthError(await ExchangeAsync(wrongIssuer), HttpStatusCode.NotFound, "invalid_grant", wrongIssuer);

        // Signed by a key the provider never published, under a kid it does not know (a refetch does not find it).
        var unknownKid = FakeOpenIdProvider.Sign("never-published", RSA.Create(2048), Provider.Claims(audience, "bob"));
        AssertOAuthError(await ExchangeAsync(unknownKid), HttpStatusCode.Unauthorized, "invalid_grant", unknownKid);
        // ... or under a kid it does publish.
        var wrongKey = FakeOpenIdProvider.Sign(Provider.RsaKid, RSA.Create(2048), Provider.Claims(audience, "bob"));
        AssertOAuthError(await ExchangeAsync(wrongKey), HttpStatusCode.Unauthorized, "invalid_grant", wrongKey);

        var noSubject = Provider.IdToken(audience, "bob", claims: new() { ["sub"] = null });
        AssertOAuthError(await ExchangeAsync(noSubject), HttpStatusCode.BadRequest, "invalid_grant", noSubject);
        AssertOAuthError(await ExchangeAsync("not-a-jwt"), HttpStatusCode.BadRequest, "invalid_grant");
        AssertOAuthError(await ExchangeAsync(good, contextId: "other-context"), HttpStatusCode.NotFound, "invalid_target", good);

        AssertOAuthError(await ExchangeAsync(new { subject_token = good, subject_token_type = IdTokenType }), HttpStatusCode.BadRequest, "invalid_request", good);
        AssertOAuthError(await ExchangeAsync(new { grant_type = GrantType, subject_token_type = IdTokenType }), HttpStatusCode.BadRequest, "invalid_request");
        AssertOAuthError(await ExchangeAsync(new { grant_type = GrantType, subject_token = good }), HttpStatusCode.BadRequest, "invalid_request", good);
        AssertOAuthError(await ExchangeAsync(new { grant_type = "client_credentials", subject_token = good, subject_token_type = IdTokenType }),
            HttpStatusCode.BadRequest, "unsupported_grant_type", good);
        AssertOAuthError(await ExchangeAsync(new { grant_type = GrantType, subject_token = good, subject_token_type = "urn:x:saml" }),
            HttpStatusCode.BadRequest, "invalid_request", good);
        AssertOAuthError(await ExchangeAsync(new { grant_type = GrantType, subject_token = good, subject_token_type = IdTokenType, invite_token = "inv_x" }),
            HttpStatusCode.BadRequest, "invalid_request", good);
        AssertOAuthError(await ExchangeAsync(new { grant_type = GrantType, subject_token = 42, subject_token_type = IdTokenType }),
            HttpStatusCode.BadRequest, "invalid_request");
        AssertOAuthError(await ExchangeAsync(new { grant_type = GrantType, subject_token = good, subject_token_type = IdTokenType, signup_type = "admin" }),
            HttpStatusCode.BadRequest, "invalid_request", good);

        Assert.Equal(before, await WrittenAsync());
    }

    [Fact]
    public async Task No_policy_and_no_user_is_refused_and_a_suspended_profile_is_refused()
    {
        var contextId = await ContextWithRoleAsync();
        var (_, audience) = await RegisterAsync(contextId, selfSignup: false);
        var before = await WrittenAsync();
        AssertOAuthError(await ExchangeAsync(Provider.IdToken(audience, "stranger", "stranger@example.com")), HttpStatusCode.Forbidden, "access_denied");
        Assert.Equal(before, await WrittenAsync());

        var other = await ContextWithRoleAsync();
        var (_, signupAudience) = await RegisterAsync(other);
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(Provider.IdToken(signupAudience, "carol", "carol@example.com"))).Status);
        var userId = await UserIdAsync("carol@example.com");
        var suspend = await Client.PutAsJsonAsync($"/v1/app-contexts/{other}/profiles/usr_{userId}", new { status = "suspended" });
        Assert.True(suspend.IsSuccessStatusCode, await suspend.Content.ReadAsStringAsync());
        AssertOAuthError(await ExchangeAsync(Provider.IdToken(signupAudience, "carol")), HttpStatusCode.Forbidden, "access_denied");
    }

    [Fact]
    public async Task A_deleted_issuer_and_another_tenants_issuer_do_not_reach_this_context()
    {
        var contextId = await ContextWithRoleAsync();
        var (issuerId, audience) = await RegisterAsync(contextId);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/auth/issuers/{issuerId}")).StatusCode);
        AssertOAuthError(await ExchangeAsync(Provider.IdToken(audience, "dave")), HttpStatusCode.NotFound, "invalid_grant");

        // Another tenant registers the same provider for its own app: its tokens name its registration, never ours.
        var stranger = await Server.CreatePartnerAsync("exchange-stranger");
        using var strangerClient = Server.CreateClient(stranger.TestKey.RawKey);
        var strangerContext = await ContextWithRoleAsync(strangerClient);
        var (_, strangerAudience) = await RegisterAsync(strangerContext, client: strangerClient);
        var before = await WrittenAsync();
        var theirs = Provider.IdToken(strangerAudience, "erin");
        AssertOAuthError(await ExchangeAsync(theirs, contextId), HttpStatusCode.NotFound, "invalid_target", theirs);
        var minted = await ExchangeAsync(theirs);
        Assert.Equal(HttpStatusCode.OK, minted.Status);
        using var api = Server.CreateClient(minted.Body.GetProperty("access_token").GetString());
        Assert.Equal(stranger.TestTenantId, (await api.GetFromJsonAsync<JsonElement>("/v1/ping")).GetProperty("tenantId").GetString());
        Assert.Equal(before, await WrittenAsync());
    }

    [Fact]
    public async Task A_rotated_key_is_found_by_one_refetch()
    {
        var contextId = await ContextWithRoleAsync();
        var (_, audience) = await RegisterAsync(contextId);
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(Provider.IdToken(audience, "frank"))).Status);
        var fetches = Provider.JwksFetches;
        Assert.Equal(HttpStatusCode.OK, (await ExchangeAsync(Provider.IdToken(audience, "frank"))).Status);
        Assert.Equal(fetches, Provider.JwksFetches); // cached

        // The refetch of an unknown kid is rate-limited per URI; past that gap the new key is fetched once.
        await Task.Delay(TimeSpan.FromSeconds(5.5));
        var rotated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Provider.Publish(rotated);
        var result = await ExchangeAsync(FakeOpenIdProvider.Sign(kid, rotated, Provider.Claims(audience, "frank")));
        Assert.True(result.Status == HttpStatusCode.OK, result.Body.ToString());
        Assert.Equal(fetches + 1, Provider.JwksFetches);
    }

    private async Task<Guid> UserIdAsync(string email)
    {
        await using var cmd = Db.CreateCommand("SELECT user_id FROM users WHERE tenant_id = $1 AND email = $2");
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        cmd.Parameters.AddWithValue(email);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }
}
