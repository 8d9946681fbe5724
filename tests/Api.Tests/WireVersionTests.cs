using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vectros.ApiFrontend.Http;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>The <c>Vectros-Version</c> request header (API-DELTA §1, CL 0.38).</summary>
public sealed class WireVersionTests : ApiTestBase
{
    private const string Published = "2026-08-01";

    [Fact]
    public async Task Without_the_header_requests_are_served_and_nothing_is_echoed()
    {
        var response = await Client.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Vectros-Version"));
    }

    [Theory]
    [InlineData("/v1/ping", HttpStatusCode.OK)]
    [InlineData("/v1/app-contexts", HttpStatusCode.OK)]
    [InlineData("/v1/folders/not-a-folder", HttpStatusCode.NotFound)]
    [InlineData("/v1/no-such-route", HttpStatusCode.NotFound)]
    public async Task The_published_version_is_echoed_on_success_and_on_errors(string url, HttpStatusCode status)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Vectros-Version", Published);
        var response = await Client.SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(Published, Assert.Single(response.Headers.GetValues("Vectros-Version")));
    }

    [Theory]
    [InlineData("2026-08-02")]
    [InlineData("2025-01-01")]
    [InlineData("latest")]
    [InlineData("")]
    [InlineData("2026-08-01, 2026-08-01")]
    public async Task Any_other_version_is_a_400_naming_the_supported_ones(string version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        request.Headers.TryAddWithoutValidation("Vectros-Version", version);
        var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("UNSUPPORTED_WIRE_VERSION", body.GetProperty("errorCode").GetString());
        Assert.Contains(Published, body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), body.GetProperty("requestId").GetString());
        Assert.False(response.Headers.Contains("Vectros-Version"));
    }

    [Fact]
    public async Task An_unsupported_version_is_refused_before_any_work()
    {
        // Before authentication (a bad credential would be a 401), and before the write.
        using var anonymous = Server.CreateClient("sk_test_not-a-real-key");
        using var unauthenticated = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        unauthenticated.Headers.Add("Vectros-Version", "1999-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.SendAsync(unauthenticated)).StatusCode);

        using var create = new HttpRequestMessage(HttpMethod.Post, "/v1/app-contexts") { Content = JsonContent.Create(new { contextId = "versioned", name = "n" }) };
        create.Headers.Add("Vectros-Version", "1999-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.SendAsync(create)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/versioned")).StatusCode);
    }

    [Fact]
    public async Task An_endpoint_marked_to_ignore_the_header_neither_checks_nor_echoes_it()
    {
        // The hook the SSE endpoints will use (none exist yet), driven through the middleware itself.
        var reached = false;
        var middleware = new WireVersionMiddleware(_ =>
        {
            reached = true;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext();
        context.Request.Headers["Vectros-Version"] = "1999-01-01";
        context.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new IgnoreWireVersionMetadata()), "sse"));

        await middleware.InvokeAsync(context);

        Assert.True(reached);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Vectros-Version"));
    }

    [Fact]
    public async Task A_supported_version_changes_nothing_in_the_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        request.Headers.Add("Vectros-Version", Published);
        var pinned = await JsonAsync(await Client.SendAsync(request));
        var plain = await JsonAsync(await Client.GetAsync("/v1/ping"));
        Assert.Equal(plain.GetProperty("tenantId").GetString(), pinned.GetProperty("tenantId").GetString());
        Assert.Equal(
            plain.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal),
            pinned.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(JsonValueKind.Object, pinned.ValueKind);
    }
}
