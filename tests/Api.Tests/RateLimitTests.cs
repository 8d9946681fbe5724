using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Writes are limited per credential per minute with the spec's 429 headers; reads are not limited.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("ratelimit");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?> { ["Vectros:RateLimit:PermitsPerMinute"] = "3" });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Fourth_write_in_a_minute_gets_429_with_headers_and_writes_nothing()
    {
        var partner = await _server.CreatePartnerAsync("limited");
        using var client = _server.CreateClient(partner.TestKey.RawKey);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = $"ctx-{i}", name = "n" })).StatusCode);
        }

        var limited = await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "ctx-over", name = "n" });
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.Equal("3", limited.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal("RATE_LIMITED", (await limited.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errorCode").GetString());

        // Reads stay available, the refused write left nothing behind, and another credential has its own budget.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/v1/app-contexts/ctx-over")).StatusCode);
        using var live = _server.CreateClient(partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.Created, (await live.PostAsJsonAsync("/v1/app-contexts", new { contextId = "ctx-live", name = "n" })).StatusCode);
    }

    [Fact]
    public async Task Tokens_spend_the_budget_of_the_root_key_that_minted_them()
    {
        var partner = await _server.CreatePartnerAsync("minter");
        using var root = _server.CreateClient(partner.TestKey.RawKey);
        async Task<HttpClient> TokenClientAsync()
        {
            var minted = await root.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:crud" } } });
            Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
            return _server.CreateClient((await minted.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("token").GetString());
        }

        // Two mints and one write through the first token use the key's three permits; the second token has none left.
        using var first = await TokenClientAsync();
        using var second = await TokenClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await first.PostAsJsonAsync("/v1/schemas", new { typeName = "one", displayName = "One" })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await second.PostAsJsonAsync("/v1/schemas", new { typeName = "two", displayName = "Two" })).StatusCode);
    }
}
