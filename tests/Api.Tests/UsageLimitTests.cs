using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The plan's monthly allowance (issue #10 item 6), on a server of its own with tiny plans (free = 3 credits, starter =
/// 1000) and a clock the test can move: past the allowance writes, ingests and searches answer 402
/// SUBSCRIPTION_LIMIT_EXCEEDED while reads keep working; a larger plan lifts the limit; the next month resets it.
/// </summary>
public sealed class UsageLimitTests : IAsyncLifetime
{
    private readonly ShiftedTimeProvider _clock = new();
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("usage");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Usage:Plans:free"] = "3",
            ["Vectros:Usage:Plans:starter"] = "1000",
        }, services => services.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Past_the_allowance_writes_ingests_and_searches_are_refused_while_reads_work()
    {
        var (partner, client) = await PartnerAsync("limits");
        var schema = await client.PostAsJsonAsync("/v1/schemas", new { typeName = "note", displayName = "Note" });
        Assert.Equal(HttpStatusCode.Created, schema.StatusCode);
        var record = await client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { } });
        Assert.Equal(HttpStatusCode.Created, record.StatusCode);
        var recordId = (await record.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // 2 credits for the record; searches (1 credit each) use up the rest. The meter's cached answer may let one
        // or two more through before it notices.
        await ExhaustAsync(client);

        var refused = await client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { } });
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
        Assert.Equal("SUBSCRIPTION_LIMIT_EXCEEDED", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.PaymentRequired, (await client.PostAsJsonAsync("/v1/documents", new { title = "D", text = "some text", indexMode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await client.PostAsJsonAsync("/v1/search", new { query = "x", mode = "HYBRID" })).StatusCode);

        // Bad input is still a 400 (it is checked before the allowance); reads and the report keep working.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/v1/records", new { typeName = "nosuchtype", payload = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/v1/records/{recordId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/records?type=note")).StatusCode);
        var usage = await client.GetFromJsonAsync<JsonElement>("/v1/usage");
        Assert.Equal(3, usage.GetProperty("credits").GetProperty("limit").GetInt64());
        Assert.Equal(0, usage.GetProperty("credits").GetProperty("remaining").GetInt64());

        // The other environment has its own allowance.
        using var live = _server.CreateClient(partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await live.PostAsJsonAsync("/v1/search", new { query = "x", mode = "TEXT" })).StatusCode);
    }

    [Fact]
    public async Task A_larger_plan_lifts_the_limit_within_seconds()
    {
        var (partner, client) = await PartnerAsync("upgrade");
        await ExhaustAsync(client);

        using var op = _server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PutAsJsonAsync($"/developer/partners/{partner.PartnerId}/plan", new { plan = "platinum" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PutAsJsonAsync($"/developer/partners/{Guid.NewGuid()}/plan", new { plan = "pro" })).StatusCode);
        using var rootKey = _server.CreateClient(partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await rootKey.PutAsJsonAsync($"/developer/partners/{partner.PartnerId}/plan", new { plan = "pro" })).StatusCode);
        var set = await op.PutAsJsonAsync($"/developer/partners/{partner.PartnerId}/plan", new { plan = "starter" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(1000, (await set.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("monthlyCredits").GetInt64());

        await Poll.UntilAsync(async () => (await SearchAsync(client)) == HttpStatusCode.OK, "the search allowed again on the starter plan");
        var usage = await client.GetFromJsonAsync<JsonElement>("/v1/usage");
        Assert.Equal(1000, usage.GetProperty("credits").GetProperty("limit").GetInt64());

        // enterprise is unlimited: limit and remaining are null.
        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/developer/partners/{partner.PartnerId}/plan", new { plan = "enterprise" })).StatusCode);
        await Poll.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/v1/usage")).GetProperty("credits").GetProperty("limit").ValueKind
            == JsonValueKind.Null, "the unlimited plan in the report");
        var unlimited = (await client.GetFromJsonAsync<JsonElement>("/v1/usage")).GetProperty("credits");
        Assert.Equal(JsonValueKind.Null, unlimited.GetProperty("remaining").ValueKind);
    }

    [Fact]
    public async Task The_next_month_resets_the_allowance()
    {
        var (_, client) = await PartnerAsync("rollover");
        await ExhaustAsync(client);
        var before = await client.GetFromJsonAsync<JsonElement>("/v1/usage");
        var period = before.GetProperty("period").GetString()!;

        _clock.ToNextMonth();
        Assert.Equal(HttpStatusCode.OK, await SearchAsync(client));
        var after = await client.GetFromJsonAsync<JsonElement>("/v1/usage");
        Assert.NotEqual(period, after.GetProperty("period").GetString());
        await Poll.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/v1/usage"))
            .GetProperty("credits").GetProperty("usedMilli").GetInt64() == 1000, "the new month's one search");

        // The old month keeps its figures.
        var old = await client.GetFromJsonAsync<JsonElement>($"/v1/usage?year={period[..4]}&month={int.Parse(period[5..], System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.True(old.GetProperty("credits").GetProperty("usedMilli").GetInt64() >= 3000);
    }

    private async Task<(TestPartner Partner, HttpClient Client)> PartnerAsync(string name)
    {
        var partner = await _server.CreatePartnerAsync(name);
        return (partner, _server.CreateClient(partner.TestKey.RawKey));
    }

    private static async Task ExhaustAsync(HttpClient client) =>
        await Poll.UntilAsync(async () => (await SearchAsync(client)) == HttpStatusCode.PaymentRequired, "the allowance used up");

    private static async Task<HttpStatusCode> SearchAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/v1/search", new { query = "x", mode = "TEXT" });
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.PaymentRequired, $"{response.StatusCode}");
        return response.StatusCode;
    }
}
