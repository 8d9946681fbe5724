using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>The Orleans Dashboard at /dashboard: operators only, usable from curl (bearer) and from a browser (basic).</summary>
public sealed class DashboardTests : ApiTestBase
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/dashboard/DashboardCounters")]
    [InlineData("/dashboard/index.min.js")]
    public async Task Every_dashboard_resource_is_refused_without_the_operator_token(string path)
    {
        using var anonymous = Server.CreateClient();
        var response = await anonymous.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Basic ", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        // A partner's root key is not the operator token either.
        var withPartnerKey = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Unauthorized, withPartnerKey.StatusCode);

        using var wrong = Server.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = Basic("operator", "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task The_page_loads_with_the_token_as_bearer_or_as_a_basic_auth_password()
    {
        using var curl = Server.CreateClient(VectrosTestServer.OperatorToken);
        var page = await curl.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>Orleans Dashboard</title>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var browser = Server.CreateClient();
        browser.DefaultRequestHeaders.Authorization = Basic("anyone", VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/index.min.js")).StatusCode);
    }

    [Fact]
    public async Task Its_json_shows_the_silo_and_the_grain_types()
    {
        await Client.GetAsync("/v1/ping"); // activates the credential directory grain
        using var curl = Server.CreateClient(VectrosTestServer.OperatorToken);

        // The dashboard samples the cluster about once a second.
        await Poll.UntilAsync(
            async () =>
            {
                var response = await curl.GetAsync("/dashboard/DashboardCounters");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                using var counters = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                var active = counters.RootElement.GetProperty("hosts").EnumerateArray()
                    .Any(h => h.GetProperty("status").GetString() == "Active");
                var grainTypes = counters.RootElement.GetProperty("simpleGrainStats").EnumerateArray()
                    .Select(g => g.GetProperty("grainType").GetString() ?? "");
                return active && grainTypes.Any(t => t.Contains("CredentialDirectoryGrain", StringComparison.Ordinal));
            },
            "the dashboard to list an active silo and the credential directory grain");

        var reminders = await curl.GetAsync("/dashboard/Reminders/1");
        Assert.Equal(HttpStatusCode.OK, reminders.StatusCode);
        using var page = JsonDocument.Parse(await reminders.Content.ReadAsStringAsync());
        Assert.True(page.RootElement.TryGetProperty("reminders", out _));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
}
