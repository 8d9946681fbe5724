using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// AccessProfileResponse.email (API-DELTA §8.5) through real HTTP: set for a <c>usr_</c> principal whose user has an
/// email, on get, create, update and both list routes (the list resolves a page in one query), and only when the caller
/// also holds <c>users:r</c>; never for <c>key_</c> principals or users without an email.
/// </summary>
public sealed class AccessProfileEmailTests : IdentityTestBase
{
    private const string Profiles = "/v1/app-contexts/default/profiles";

    private static object Clauses(params string[] actions) => new[] { new { allowed_actions = actions, data_scope = new { } } };

    private async Task<string> UserAsync(string externalId, string? email)
    {
        var body = await JsonAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId, email }));
        return "usr_" + Id(body);
    }

    private async Task<JsonElement> ProfileAsync(string principalId, params string[] actions)
    {
        var response = await Client.PostAsJsonAsync(Profiles, new { principalId, scopes = Clauses(actions.Length == 0 ? ["records:r:note"] : actions) });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body;
    }

    /// <summary>
    /// A scoped caller holding exactly <paramref name="actions"/>: a token signed with the server's key (a minted token
    /// cannot carry <c>profiles:r</c>, which is not a token resource).
    /// </summary>
    private async Task<HttpClient> ScopedClientAsync(params string[] actions)
    {
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } });
        Assert.Equal(HttpStatusCode.OK, mint.StatusCode);
        var (kid, key) = await TokenForge.ServerKeyAsync(Db);
        using (key)
        {
            var payload = TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5));
            payload["allowedActions"] = actions;
            return Server.CreateClient(TokenForge.Sign(key, kid, payload));
        }
    }

    private static string? Email(JsonElement profile) => profile.TryGetProperty("email", out var email) ? email.GetString() : null;

    [Fact]
    public async Task Email_is_set_for_a_resolvable_user_principal_on_every_route()
    {
        var ann = await UserAsync("ann", "ann@example.com");
        var bare = await UserAsync("bare", null);
        Assert.Equal("ann@example.com", Email(await ProfileAsync(ann)));
        Assert.Null(Email(await ProfileAsync(bare)));
        Assert.Null(Email(await ProfileAsync("key_service")));

        Assert.Equal("ann@example.com", Email(await JsonAsync(await Client.GetAsync($"{Profiles}/{ann}"))));
        Assert.Equal("ann@example.com", Email(await JsonAsync(await Client.PutAsJsonAsync($"{Profiles}/{ann}", new { status = "suspended" }))));
        Assert.Equal("ann@example.com", Email(Data(await JsonAsync(await Client.GetAsync($"/v1/principals/{ann}/profiles"))).Single()));

        var listed = Data(await JsonAsync(await Client.GetAsync(Profiles))).ToDictionary(p => p.GetProperty("principalId").GetString()!, Email);
        Assert.Equal("ann@example.com", listed[ann]);
        Assert.Null(listed[bare]);
        Assert.Null(listed["key_service"]);
    }

    [Fact]
    public async Task Email_needs_users_r_as_well_as_profiles_r()
    {
        var ann = await UserAsync("ann-r", "ann-r@example.com");
        await ProfileAsync(ann);

        using var profilesOnly = await ScopedClientAsync("profiles:r");
        Assert.Null(Email(await JsonAsync(await profilesOnly.GetAsync($"{Profiles}/{ann}"))));
        Assert.All(Data(await JsonAsync(await profilesOnly.GetAsync(Profiles))), p => Assert.Null(Email(p)));

        using var both = await ScopedClientAsync("profiles:r", "users:r");
        Assert.Equal("ann-r@example.com", Email(await JsonAsync(await both.GetAsync($"{Profiles}/{ann}"))));
        Assert.Contains(Data(await JsonAsync(await both.GetAsync(Profiles))), p => Email(p) == "ann-r@example.com");
    }
}
