using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// What no scoped credential may do (issue #9 item 7): write into an app context that is <c>purging</c> or
/// <c>deleted</c> (the same 404 as a context that does not exist), or call a root-only operation, even with
/// <c>allowedActions: ["*"]</c> (spec deleteAppContext: "no scoped credential, not even one with full wildcard").
/// </summary>
public sealed class ScopedWriteRefusalTests : RecordTestBase
{
    [Fact]
    public async Task Root_only_operations_refuse_a_wildcard_token()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "keep", name = "Keep" });
        using var token = await ScopedTokens.ClientAsync(Server, Client, new { allowedActions = new[] { "*" } });
        var calls = new (HttpMethod Method, string Url, object? Body)[]
        {
            (HttpMethod.Post, "/v1/auth/token", new { scope = new { allowedActions = new[] { "*" } } }),
            (HttpMethod.Delete, "/v1/app-contexts/keep?confirm=keep", null),
            (HttpMethod.Post, "/v1/namespaces", new { @namespace = "wild", specificityRank = 9000 }),
            (HttpMethod.Put, "/v1/namespaces/org", new { specificityRank = 1000 }),
            (HttpMethod.Delete, "/v1/namespaces/org", null),
        };

        foreach (var (method, url, body) in calls)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            var response = await token.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {url}: {response.StatusCode}");
        }

        Assert.Equal("active", (await JsonAsync(await Client.GetAsync("/v1/app-contexts/keep"))).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/namespaces/org")).StatusCode);
    }

    [Fact]
    public async Task Writes_into_a_purging_or_deleted_context_are_refused_for_scoped_credentials()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "doomed", name = "Doomed" });
        using var token = await ScopedTokens.ClientAsync(Server, Client, new { allowedActions = new[] { "records:crud", "schemas:crud" } }, contextId: "doomed");

        // While active, the write reaches the records service (no schema there yet: 400).
        Assert.Equal(HttpStatusCode.BadRequest, (await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { } })).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await Client.DeleteAsync("/v1/app-contexts/doomed?confirm=doomed")).StatusCode);
        var refused = await token.PostAsJsonAsync("/v1/schemas", new { typeName = "note", displayName = "Note" });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.DeleteAsync($"/v1/records/{Guid.CreateVersion7()}")).StatusCode);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM schemas WHERE tenant_id = $1 AND context_id = 'doomed'", Partner.TestTenantId));

        // Reads sent as POST are not writes: they are answered as usual.
        Assert.NotEqual(HttpStatusCode.NotFound, (await token.PostAsJsonAsync("/v1/records/lookup", new { type = "note", field = "externalId", value = "x" })).StatusCode);
    }
}
