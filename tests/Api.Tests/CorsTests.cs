using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>A server that allows one browser origin (<c>Vectros:Cors:AllowedOrigins</c>).</summary>
public sealed class CorsServerFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.example.test";

    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public TestPartner Partner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("cors");
        Server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Cors:AllowedOrigins:0"] = AllowedOrigin,
        });
        Partner = await Server.CreatePartnerAsync("cors");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// CORS for browser clients of the official SDKs (API-DELTA §1 "SDK headers"): preflights for the headers they send,
/// the headers they read, and no cross-origin access for origins that were not configured.
/// </summary>
public sealed class CorsTests(CorsServerFixture fixture) : IClassFixture<CorsServerFixture>
{
    private static readonly string[] SdkHeaders =
    [
        "authorization", "content-type", "vectros-version", "idempotency-key",
        "x-fern-language", "x-fern-runtime", "x-fern-runtime-version", "x-fern-sdk-name", "x-fern-sdk-version",
    ];

    [Theory]
    [InlineData("/v1/records", "POST")]
    [InlineData("/v1/records/0190c7e0-0000-7000-8000-000000000000", "PATCH")]
    [InlineData("/v1/folders", "GET")]
    [InlineData("/v1/schemas/0190c7e0-0000-7000-8000-000000000000", "DELETE")]
    public async Task A_preflight_from_an_allowed_origin_allows_the_sdk_headers(string url, string method)
    {
        using var client = fixture.Server.CreateClient();
        var response = await client.SendAsync(Preflight(url, CorsServerFixture.AllowedOrigin, method, SdkHeaders));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(CorsServerFixture.AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
        Assert.Contains(method, Single(response, "Access-Control-Allow-Methods").Split(','), StringComparer.Ordinal);
        var allowed = Single(response, "Access-Control-Allow-Headers").Split(',').Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
        Assert.Superset(SdkHeaders.ToHashSet(), allowed);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_preflight_from_another_origin_is_not_allowed()
    {
        using var client = fixture.Server.CreateClient();
        var response = await client.SendAsync(Preflight("/v1/records", "https://evil.example.test", "POST", ["authorization"]));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task A_preflight_for_a_header_outside_the_list_does_not_allow_it()
    {
        using var client = fixture.Server.CreateClient();
        var response = await client.SendAsync(Preflight("/v1/records", CorsServerFixture.AllowedOrigin, "POST", ["x-not-allowed"]));

        // ASP.NET Core answers with the policy's list and leaves the refusal to the browser.
        var allowed = response.Headers.TryGetValues("Access-Control-Allow-Headers", out var values) ? string.Join(",", values) : "";
        Assert.DoesNotContain("x-not-allowed", allowed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cross_origin_responses_expose_the_request_id_and_wire_version_on_success_and_on_errors()
    {
        using var client = fixture.Server.CreateClient(fixture.Partner.TestKey.RawKey);
        foreach (var (request, status) in new[]
                 {
                     (new HttpRequestMessage(HttpMethod.Get, "/v1/ping"), HttpStatusCode.OK),
                     (new HttpRequestMessage(HttpMethod.Get, "/v1/folders/nope"), HttpStatusCode.NotFound),
                     (new HttpRequestMessage(HttpMethod.Post, "/v1/app-contexts") { Content = JsonContent.Create(new { contextId = "x" }) }, HttpStatusCode.BadRequest),
                 })
        {
            request.Headers.Add("Origin", CorsServerFixture.AllowedOrigin);
            request.Headers.Add("Vectros-Version", "2026-08-01");
            foreach (var header in new[] { "X-Fern-Language", "X-Fern-Runtime", "X-Fern-Runtime-Version", "X-Fern-SDK-Name", "X-Fern-SDK-Version" })
            {
                request.Headers.Add(header, "value");
            }

            var response = await client.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(CorsServerFixture.AllowedOrigin, Single(response, "Access-Control-Allow-Origin"));
            var exposed = Single(response, "Access-Control-Expose-Headers").Split(',').Select(h => h.Trim()).ToList();
            Assert.Contains("X-Request-Id", exposed, StringComparer.OrdinalIgnoreCase);
            Assert.Contains("Vectros-Version", exposed, StringComparer.OrdinalIgnoreCase);
        }

        // A 401 too: a browser must be able to read why it was refused.
        using var anonymous = fixture.Server.CreateClient();
        using var unauthenticated = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        unauthenticated.Headers.Add("Origin", CorsServerFixture.AllowedOrigin);
        var refused = await anonymous.SendAsync(unauthenticated);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(CorsServerFixture.AllowedOrigin, Single(refused, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task By_default_no_origin_is_allowed()
    {
        var server = await SharedServer.GetAsync();
        using var client = server.CreateClient();
        var preflight = await client.SendAsync(Preflight("/v1/records", CorsServerFixture.AllowedOrigin, "POST", ["authorization"]));
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));

        using var ping = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        ping.Headers.Add("Origin", CorsServerFixture.AllowedOrigin);
        Assert.False((await client.SendAsync(ping)).Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Start_up_refuses_a_malformed_origin()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => VectrosTestServer.StartAsync(
            "Host=127.0.0.1;Port=1;Database=never-used",
            new Dictionary<string, string?> { ["Vectros:Cors:AllowedOrigins:0"] = "https://app.example.test/path" }));
        Assert.Contains("Vectros:Cors:AllowedOrigins", error.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Preflight(string url, string origin, string method, IEnumerable<string> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", string.Join(",", headers));
        return request;
    }

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.TryGetValues(header, out var values) ? values : []);
}
