using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>GET /developer/usage</c> (issue #11 item 6): the operator console sees a partner's report as its root key of the
/// named environment sees <c>GET /v1/usage</c>, per environment; the route needs the operator token.
/// </summary>
public sealed class DeveloperUsageTests : ApiTestBase
{
    [Fact]
    public async Task The_portal_report_is_the_root_keys_report_of_that_environment()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "anything", mode = "TEXT" })).StatusCode);
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);

        // The search is counted within the flush interval; then both views agree, field for field.
        await Poll.UntilAsync(async () => (await TextSearchesAsync(Client)) == 1, "the search counted");
        foreach (var (environment, client) in new[] { ("test", Client), ("live", live) })
        {
            var portal = await op.GetAsync($"/developer/usage?partnerId={Partner.PartnerId}&environment={environment}");
            Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
            var expected = await client.GetStringAsync("/v1/usage");
            Assert.Equal(expected, await portal.Content.ReadAsStringAsync());
        }

        var month = await op.GetFromJsonAsync<JsonElement>($"/developer/usage?partnerId={Partner.PartnerId}&year=2020&month=1");
        Assert.Equal("2020-01", month.GetProperty("period").GetString());
    }

    [Fact]
    public async Task Bad_queries_are_400_unknown_partners_404_and_the_operator_token_is_required()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/developer/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync($"/developer/usage?partnerId={Partner.PartnerId}&environment=prod")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync($"/developer/usage?partnerId={Partner.PartnerId}&month=13")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/developer/usage?partnerId={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.GetAsync($"/developer/usage?partnerId={Partner.PartnerId}")).StatusCode);
    }

    private static async Task<long> TextSearchesAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/v1/usage")).GetProperty("search").GetProperty("queries").GetProperty("text").GetProperty("count").GetInt64();
}
