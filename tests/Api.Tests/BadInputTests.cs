using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class BadInputTests : ApiTestBase
{
    [Theory]
    [InlineData("{\"contextId\": \"abc\", ", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    [InlineData("[1,2]", null)]
    [InlineData("{\"contextId\": \"badtype\", \"name\": 5}", "$.name")]
    [InlineData("{\"contextId\": 42, \"name\": \"n\"}", "$.contextId")]
    [InlineData("{\"contextId\": \"unknownfield\", \"name\": \"n\", \"colour\": \"red\"}", "$.colour")]
    [InlineData("{\"contextId\": \"trailing\", \"name\": \"n\",}", null)]
    [InlineData("{\"contextId\": \"nested\", \"name\": {\"a\": 1}}", "$.name")]
    public async Task Malformed_or_mistyped_bodies_get_400_and_write_nothing(string json, string? field)
    {
        var response = await Client.PostAsync("/v1/app-contexts", RawJson(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("VALIDATION_ERROR", body.GetProperty("errorCode").GetString());
        if (field is not null)
        {
            Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
            Assert.Contains(field, body.GetProperty("message").GetString());
        }

        await AssertOnlyReservedContextsAsync();
    }

    [Fact]
    public async Task Oversized_body_gets_413_and_writes_nothing()
    {
        var huge = new string('x', 2 * 1024 * 1024);
        // The 413 body itself is checked in ErrorBodyTests; a body this large may meet the closed connection instead.
        var status = await OversizedAsync(() => Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "huge", name = "n", description = huge }));
        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"answered {status}");
        await AssertOnlyReservedContextsAsync();
    }

    [Fact]
    public async Task Wrong_content_type_is_refused()
    {
        var response = await Client.PostAsync("/v1/app-contexts", new StringContent("contextId=abc", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertOnlyReservedContextsAsync();
    }

    [Fact]
    public async Task Upsert_flag_must_be_a_boolean()
    {
        var response = await Client.PostAsJsonAsync("/v1/app-contexts?upsert=yes", new { contextId = "flagged", name = "n" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("upsert", (await JsonAsync(response)).GetProperty("message").GetString());
        await AssertOnlyReservedContextsAsync();
    }

    [Fact]
    public async Task Every_response_carries_a_request_id()
    {
        using var anonymous = Server.CreateClient();
        foreach (var response in new[]
                 {
                     await Client.GetAsync("/v1/ping"),
                     await Client.GetAsync("/v1/no-such-route"),
                     await anonymous.GetAsync("/healthz"),
                     await anonymous.GetAsync("/nothing-here"),
                     await Client.PostAsync("/v1/app-contexts", RawJson("{")),
                 })
        {
            Assert.True(response.Headers.TryGetValues("X-Request-Id", out var ids), $"{response.RequestMessage!.RequestUri} lacks X-Request-Id");
            Assert.False(string.IsNullOrWhiteSpace(ids!.Single()));
        }
    }

    [Fact]
    public async Task Unknown_route_answers_a_json_404()
    {
        var response = await Client.GetAsync("/v1/no-such-route");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("NOT_FOUND", (await JsonAsync(response)).GetProperty("errorCode").GetString());
    }

    private async Task AssertOnlyReservedContextsAsync()
    {
        var page = await JsonAsync(await Client.GetAsync("/v1/app-contexts"));
        var ids = page.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("contextId").GetString()).ToList();
        Assert.Equal(["default", "vectros-admin"], ids);
    }
}
