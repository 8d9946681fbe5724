using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>st_ tokens minted by the partner's root key, as the data-scope tests need them (issue #9 item 7).</summary>
internal static class ScopedTokens
{
    /// <summary>Mints a token with <paramref name="scope"/> (allowedActions, dataScope, identity) and returns a client that sends it.</summary>
    public static async Task<HttpClient> ClientAsync(VectrosTestServer server, HttpClient root, object scope, string? contextId = null)
    {
        var response = await root.PostAsJsonAsync("/v1/auth/token", contextId is null ? new { scope } : (object)new { scope, contextId });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return server.CreateClient(body.GetProperty("token").GetString()!);
    }

    /// <summary>The uniform 404 of an item that does not exist or is out of scope: same status, code and message.</summary>
    public static async Task AssertInvisibleAsync(HttpResponseMessage response, HttpResponseMessage missing)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var a = await response.Content.ReadFromJsonAsync<JsonElement>();
        var b = await missing.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(b.GetProperty("message").GetString(), a.GetProperty("message").GetString());
        Assert.Equal(b.TryGetProperty("errorCode", out var cb) ? cb.ToString() : null, a.TryGetProperty("errorCode", out var ca) ? ca.ToString() : null);
    }
}
