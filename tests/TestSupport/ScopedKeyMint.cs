using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.TestSupport;

/// <summary>
/// An <c>ssk_</c> key confined to one context with exactly <c>actions</c>, made over HTTP by a root key: a service user,
/// its access profile in the context, the key. Scoped keys can hold actions tokens cannot (e.g. <c>billing:r</c>).
/// </summary>
public static class ScopedKeyMint
{
    public static async Task<string> MintAsync(HttpClient root, string tenantId, string contextId, string[] actions)
    {
        var user = await ExpectAsync(await root.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" }), HttpStatusCode.Created);
        var userId = user.GetProperty("id").GetString()!;
        await ExpectAsync(await root.PostAsJsonAsync($"/v1/app-contexts/{contextId}/profiles",
            new { principalId = "usr_" + userId, scopes = new[] { new { allowed_actions = actions } } }), HttpStatusCode.Created);
        var key = await ExpectAsync(await root.PostAsJsonAsync("/v1/admin/keys/scoped",
            new { keyName = "k" + Guid.NewGuid().ToString("N")[..8], tenantId, contextId, userId }), HttpStatusCode.Created);
        return key.GetProperty("rawKey").GetString()!;
    }

    private static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri?.AbsolutePath}: {response.StatusCode}: {body}");
        return body;
    }
}
