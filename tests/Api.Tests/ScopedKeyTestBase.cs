using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Users, profiles and scoped keys over HTTP, for the scoped key tests (issue #9 item 4).</summary>
public abstract class ScopedKeyTestBase : ApiTestBase
{
    protected const string Route = "/v1/admin/keys/scoped";

    /// <summary>A SERVICE user; returns its id.</summary>
    protected async Task<string> CreateUserAsync(HttpClient? client = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body.GetProperty("id").GetString()!;
    }

    protected static object Clause(string[] actions, string[]? capabilities = null, Dictionary<string, object?[]>? dataScope = null) =>
        new { allowed_actions = actions, granted_capabilities = capabilities ?? [], data_scope = dataScope ?? [] };

    protected async Task CreateProfileAsync(string userId, object[] scopes, string contextId = "default", object? identityOverrides = null)
    {
        var response = await Client.PostAsJsonAsync($"/v1/app-contexts/{contextId}/profiles",
            identityOverrides is null
                ? new { principalId = "usr_" + userId, scopes }
                : (object)new { principalId = "usr_" + userId, scopes, identityOverrides });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    protected async Task UpdateProfileAsync(string userId, object body, string contextId = "default")
    {
        var response = await Client.PutAsJsonAsync($"/v1/app-contexts/{contextId}/profiles/usr_{userId}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A user with a profile of <paramref name="actions"/> in the context.</summary>
    protected async Task<string> UserWithProfileAsync(string[] actions, string contextId = "default", string[]? capabilities = null)
    {
        var user = await CreateUserAsync();
        await CreateProfileAsync(user, [Clause(actions, capabilities)], contextId);
        return user;
    }

    protected async Task<(HttpStatusCode Status, JsonElement Body)> MintAsync(
        string userId, string keyName = "bot", string contextId = "default", HttpClient? client = null, string? label = null)
    {
        var response = await (client ?? Client).PostAsJsonAsync(Route, label is null
            ? new { keyName, tenantId = Partner.TestTenantId, contextId, userId }
            : (object)new { keyName, tenantId = Partner.TestTenantId, contextId, userId, label });
        return (response.StatusCode, await JsonAsync(response));
    }

    /// <summary>Mints a key, asserts 201 and returns (keyId, rawKey).</summary>
    protected async Task<(string KeyId, string RawKey)> MintKeyAsync(string userId, string keyName = "bot", string contextId = "default", HttpClient? client = null)
    {
        var (status, body) = await MintAsync(userId, keyName, contextId, client);
        Assert.True(status == HttpStatusCode.Created, $"{status}: {body}");
        return (body.GetProperty("keyId").GetString()!, body.GetProperty("rawKey").GetString()!);
    }

    protected async Task<HttpStatusCode> StatusAsync(HttpClient client, string path) => (await client.GetAsync(path)).StatusCode;

    /// <summary>Waits (at most 5 s, the promised bound) until <paramref name="path"/> answers <paramref name="expected"/>.</summary>
    protected static Task UntilStatusAsync(HttpClient client, string path, HttpStatusCode expected, string what) =>
        Poll.UntilAsync(async () => (await client.GetAsync(path)).StatusCode == expected, what, TimeSpan.FromSeconds(5));

    protected async Task<long> ScopedKeyRowsAsync()
    {
        await using var cmd = Db.CreateCommand("SELECT count(*) FROM scoped_keys WHERE tenant_id = $1");
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
