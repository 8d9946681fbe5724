using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Real scoped credentials for the data-scope tests: users created and <c>st_</c> tokens minted over HTTP by a root key
/// (<c>POST /v1/auth/token</c> with <c>scope.allowedActions</c>, <c>dataScope</c> and <c>identity</c>).
/// </summary>
internal static class ScopedCredentials
{
    /// <summary>The data scope of a caller confined to its own user's items.</summary>
    public static readonly Dictionary<string, string[]> OwnUser = new() { ["userId"] = ["${{ self.userId }}"] };

    public static async Task<string> CreateUserAsync(HttpClient root)
    {
        var response = await root.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Mints an <c>st_</c> token; <paramref name="identity"/> keys are <c>userId</c> / <c>scope:&lt;ns&gt;</c>.</summary>
    public static async Task<string> MintAsync(
        HttpClient root, string[] actions, object? dataScope = null, string? userId = null, Dictionary<string, string>? identity = null, int? expiresInSeconds = null)
    {
        var scope = new Dictionary<string, object?> { ["allowedActions"] = actions, ["dataScope"] = dataScope ?? new Dictionary<string, string[]>() };
        if (identity is not null)
        {
            scope["identity"] = identity;
        }

        var request = new Dictionary<string, object?> { ["scope"] = scope };
        if (userId is not null)
        {
            request["userId"] = userId;
        }

        if (expiresInSeconds is not null)
        {
            request["expiresInSeconds"] = expiresInSeconds;
        }

        var response = await root.PostAsJsonAsync("/v1/auth/token", request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body.GetProperty("token").GetString()!;
    }
}
