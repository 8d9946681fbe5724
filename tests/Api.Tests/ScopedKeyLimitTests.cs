using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The plan's active-key limit (spec createScopedKey 400; API-DELTA §8.6: counted per environment), on a server of its
/// own with a limit of two.
/// </summary>
public sealed class ScopedKeyLimitTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("sskl");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?> { ["Vectros:ScopedKeys:MaxActivePerEnvironment"] = "2" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task The_key_limit_is_per_environment_and_revoking_frees_a_slot()
    {
        var partner = await _server.CreatePartnerAsync("limit");
        using var test = _server.CreateClient(partner.TestKey.RawKey);
        using var live = _server.CreateClient(partner.LiveKey.RawKey);
        var testUser = await UserWithProfileAsync(test);
        var liveUser = await UserWithProfileAsync(live);

        var first = await MintAsync(test, partner.TestTenantId, testUser, "one");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(test, partner.TestTenantId, testUser, "two")).StatusCode);
        var over = await MintAsync(test, partner.TestTenantId, testUser, "three");
        Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
        Assert.Contains("limit", (await over.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString(), StringComparison.Ordinal);

        // An idempotent repeat is no new key, so the limit does not refuse it.
        Assert.Equal(HttpStatusCode.OK, (await MintAsync(test, partner.TestTenantId, testUser, "two")).StatusCode);

        // The live environment counts its own keys.
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(live, partner.LiveTenantId, liveUser, "one")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(live, partner.LiveTenantId, liveUser, "two")).StatusCode);

        var keyId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("keyId").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await test.DeleteAsync($"/v1/admin/keys/scoped/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(test, partner.TestTenantId, testUser, "three")).StatusCode);
    }

    private static Task<HttpResponseMessage> MintAsync(HttpClient client, string tenantId, string userId, string keyName) =>
        client.PostAsJsonAsync("/v1/admin/keys/scoped", new { keyName, tenantId, contextId = "default", userId });

    private static async Task<string> UserWithProfileAsync(HttpClient client)
    {
        var user = await client.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "HUMAN" });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var userId = (await user.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var profile = await client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "usr_" + userId, scopes = new[] { new { allowed_actions = new[] { "schemas:r" } } } });
        Assert.Equal(HttpStatusCode.Created, profile.StatusCode);
        return userId;
    }
}
