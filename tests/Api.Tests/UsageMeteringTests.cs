using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Metering;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Metering through real HTTP (issue #10 items 4 and 5): writes, ingests and searches show up in <c>GET /v1/usage</c>
/// (the usage grain includes pending counts, so a poll sees them before the ≤2 s flush), reads and refused input do
/// not, live + test reconciles exactly, and a confined caller sees only its context.
/// </summary>
public sealed class UsageMeteringTests : ApiTestBase
{
    [Fact]
    public async Task Record_writes_count_with_their_indexes_and_reads_do_not()
    {
        await CreateSchemaAsync(new
        {
            typeName = "ticket",
            displayName = "Ticket",
            fields = new object[] { new { fieldId = "code", fieldType = "string" }, new { fieldId = "size", fieldType = "number" } },
            lookupFields = new object[] { new { fieldName = "code" }, new { fieldName = "size", rangeEnabled = true } },
        });

        // Ownership + externalId + code (1) + size (range: 3) = 6 indexes a write.
        var created = await Client.PostAsJsonAsync("/v1/records", new { typeName = "ticket", externalId = "t-1", payload = new { code = "a", size = 1 } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { code = "b", size = 2 } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PatchAsJsonAsync($"/v1/records/{id}", new { payload = new { size = 3 } })).StatusCode);

        // Reads, lists and refused input charge nothing.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/records/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/records?type=ticket")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "ticket", payload = new { size = "big" } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "nosuchtype", payload = new { } })).StatusCode);

        var usage = await UsageWhenAsync(u => Writes(u) >= 3);
        Assert.Equal(3, Writes(usage));
        var writes = usage.GetProperty("records").GetProperty("writes");
        Assert.Equal(18, writes.GetProperty("indexCount").GetInt64());
        Assert.Equal((3 + 18) * 1000, writes.GetProperty("creditsMilli").GetInt64());
        Assert.Equal(21, writes.GetProperty("credits").GetInt64());
        Assert.Equal(21_000, usage.GetProperty("credits").GetProperty("breakdown").GetProperty("recordsMilli").GetInt64());

        // The grain persists the counts within its flush interval; the reads never add anything.
        await Poll.UntilAsync(async () => await ScalarAsync(
            "SELECT coalesce(sum(value), 0) FROM usage_counters WHERE tenant_id = $1 AND metric = 'records.writes'", Partner.TestTenantId) == 3,
            "the record writes persisted");
        Assert.Equal(3, Writes(await UsageAsync()));
    }

    [Fact]
    public async Task Ingests_searches_and_identity_writes_count_by_kind()
    {
        var doc = await Client.PostAsJsonAsync("/v1/documents", new { title = "Memo", text = "hello metered world", indexMode = "TEXT" });
        Assert.Equal(HttpStatusCode.Created, doc.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsJsonAsync("/v1/documents", new { title = "Empty", text = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "hello", mode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "hello", mode = "HYBRID" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "hello", mode = "HYBRID" })).StatusCode);
        await CreateOrgAsync();
        await ScopedCredentials.CreateUserAsync(Client);

        var usage = await UsageWhenAsync(u => Count(u, "search", "queries", "hybrid") >= 2 && Identity(u, "users") >= 1 && Identity(u, "orgs") >= 1
            && Count(u, "documents", "ingest", "text") >= 1);
        Assert.Equal(1, Count(usage, "search", "queries", "text"));
        Assert.Equal(2, Count(usage, "search", "queries", "hybrid"));
        Assert.Equal(0, Count(usage, "search", "queries", "semantic"));
        Assert.Equal(1, Count(usage, "documents", "ingest", "text"));
        Assert.Equal(0, Count(usage, "documents", "ingest", "file"));
        Assert.Equal("hello metered world".Length, usage.GetProperty("search").GetProperty("ingest").GetProperty("hybrid").GetProperty("bytes").GetInt64());
        Assert.Equal(1, Identity(usage, "users"));
        Assert.Equal(1, Identity(usage, "orgs"));
        Assert.Equal(1, Identity(usage, "entities"));
        Assert.Equal(0, Identity(usage, "clients"));
        var credits = usage.GetProperty("credits");
        var breakdown = credits.GetProperty("breakdown");
        var parts = breakdown.EnumerateObject().Where(p => p.Name.EndsWith("Milli", StringComparison.Ordinal)).Sum(p => p.Value.GetInt64());
        Assert.Equal(credits.GetProperty("usedMilli").GetInt64(), parts);
        Assert.Equal(credits.GetProperty("usedMilli").GetInt64() / 1000, credits.GetProperty("used").GetInt64());
    }

    [Fact]
    public async Task Live_plus_test_equals_the_account_total_exactly()
    {
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.Created, (await live.PostAsJsonAsync("/v1/documents", new { title = "L", text = new string('x', 3000), indexMode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await live.PostAsJsonAsync("/v1/search", new { query = "x", mode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/documents", new { title = "T", text = new string('y', 1500), indexMode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "y", mode = "HYBRID" })).StatusCode);

        // Either root key sees both environments of the partner.
        var usage = await UsageWhenAsync(u => Count(u, "search", "queries", "text") >= 1 && Count(u, "search", "queries", "hybrid") >= 1
            && Count(u, "documents", "ingest", "text") >= 2, live);
        var total = usage.GetProperty("credits").GetProperty("usedMilli").GetInt64();
        var tenants = usage.GetProperty("tenants");
        var liveMilli = tenants.GetProperty("live").GetProperty("credits").GetProperty("usedMilli").GetInt64();
        var testMilli = tenants.GetProperty("test").GetProperty("credits").GetProperty("usedMilli").GetInt64();
        Assert.True(liveMilli > 0 && testMilli > 0);
        Assert.Equal(total, liveMilli + testMilli);
        Assert.Equal(Partner.LiveTenantId, tenants.GetProperty("live").GetProperty("id").GetString());
        Assert.Equal(Partner.TestTenantId, tenants.GetProperty("test").GetProperty("id").GetString());
        Assert.Equal(total, usage.GetProperty("contexts").EnumerateArray().Sum(c => c.GetProperty("credits").GetProperty("usedMilli").GetInt64()));

        // remaining is the caller's own environment's: the plan's allowance less what that environment used.
        var credits = usage.GetProperty("credits");
        Assert.Equal((credits.GetProperty("limit").GetInt64() * 1000 - liveMilli) / 1000, credits.GetProperty("remaining").GetInt64());
    }

    [Fact]
    public async Task A_confined_caller_sees_only_its_context_and_needs_billing_read()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "clinic", name = "Clinic" })).StatusCode);
        var key = await ScopedKeyMint.MintAsync(Client, Partner.TestTenantId, "clinic", ["search:r", "billing:r"]);
        using var confined = Server.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await confined.PostAsJsonAsync("/v1/search", new { query = "a", mode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "a", mode = "TEXT" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/search", new { query = "a", mode = "TEXT" })).StatusCode);

        var account = await UsageWhenAsync(u => Count(u, "search", "queries", "text") >= 3);
        Assert.Equal(2, account.GetProperty("contexts").GetArrayLength());
        var filtered = await UsageAsync(query: "?contextId=clinic");
        Assert.Equal("clinic", Assert.Single(filtered.GetProperty("contexts").EnumerateArray()).GetProperty("contextId").GetString());
        Assert.Equal(3, Count(filtered, "search", "queries", "text"));

        var mine = await UsageAsync(confined);
        Assert.Equal(1, Count(mine, "search", "queries", "text"));
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("tenants").GetProperty("live").ValueKind);
        Assert.Equal(1000, mine.GetProperty("tenants").GetProperty("test").GetProperty("credits").GetProperty("usedMilli").GetInt64());
        var context = Assert.Single(mine.GetProperty("contexts").EnumerateArray());
        Assert.Equal("clinic", context.GetProperty("contextId").GetString());
        Assert.Equal(0, mine.GetProperty("reads").GetProperty("calls").GetProperty("used").GetInt64());
        Assert.Equal(0, mine.GetProperty("reads").GetProperty("dataOut").GetProperty("bytes").GetInt64());
        Assert.Equal(account.GetProperty("credits").GetProperty("limit").GetInt64(), mine.GetProperty("credits").GetProperty("limit").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await confined.GetAsync("/v1/usage?contextId=clinic")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await confined.GetAsync("/v1/usage?contextId=default")).StatusCode);
        using var noBilling = Server.CreateClient(await ScopedKeyMint.MintAsync(Client, Partner.TestTenantId, "clinic", ["search:r"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await noBilling.GetAsync("/v1/usage")).StatusCode);
    }

    [Fact]
    public async Task Inference_counts_land_in_the_report()
    {
        // What the chat/RAG/ask endpoints send the meter: per-endpoint calls and tokens, and the platform fee in milli.
        var meter = Server.Services.GetRequiredService<IUsageMeter>();
        await meter.CountAsync(Partner.TestTenantId, "default",
        [
            new(UsageMetrics.Inference("rag", "calls"), 1), new(UsageMetrics.Inference("rag", "inputTokens"), 120),
            new(UsageMetrics.Inference("rag", "outputTokens"), 30), new(UsageMetrics.PlatformCreditsMilli, 100),
        ]);
        await meter.CountAsync(Partner.TestTenantId, "default",
            [new(UsageMetrics.Inference("chat", "calls"), 1), new(UsageMetrics.Inference("chat", "outputTokens"), 5), new(UsageMetrics.PlatformCreditsMilli, 100)]);

        var usage = await UsageWhenAsync(u => u.GetProperty("inference").GetProperty("totals").GetProperty("calls").GetInt64() == 2);
        var inference = usage.GetProperty("inference");
        Assert.Equal(120, inference.GetProperty("endpoints").GetProperty("rag").GetProperty("inputTokens").GetInt64());
        Assert.Equal(35, inference.GetProperty("totals").GetProperty("outputTokens").GetInt64());
        Assert.Equal(0, inference.GetProperty("endpoints").GetProperty("ask").GetProperty("calls").GetInt64());
        Assert.Equal(0, inference.GetProperty("balanceCents").GetInt64());
        Assert.Equal(200, usage.GetProperty("credits").GetProperty("breakdown").GetProperty("inferenceMilli").GetInt64());
        Assert.Equal(200, usage.GetProperty("credits").GetProperty("usedMilli").GetInt64());
        Assert.Equal(0, usage.GetProperty("credits").GetProperty("used").GetInt64());
        Assert.Equal(1, usage.GetProperty("tenants").GetProperty("test").GetProperty("inference").GetProperty("endpoints").GetProperty("chat")
            .GetProperty("calls").GetInt64());
    }

    [Theory]
    [InlineData("?month=13")]
    [InlineData("?month=0")]
    [InlineData("?month=may")]
    [InlineData("?year=20x6")]
    [InlineData("?year=-1")]
    public async Task A_bad_year_or_month_is_400(string query)
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync("/v1/usage" + query)).StatusCode);
    }

    [Fact]
    public async Task A_past_month_is_its_own_period()
    {
        var usage = await UsageAsync(query: "?year=2024&month=2");
        Assert.Equal("2024-02", usage.GetProperty("period").GetString());
        Assert.Equal(0, usage.GetProperty("credits").GetProperty("usedMilli").GetInt64());
        Assert.Empty(usage.GetProperty("contexts").EnumerateArray());
    }

    private async Task<JsonElement> UsageAsync(HttpClient? client = null, string query = "")
    {
        var response = await (client ?? Client).GetAsync("/v1/usage" + query);
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return body;
    }

    private async Task<JsonElement> UsageWhenAsync(Func<JsonElement, bool> ready, HttpClient? client = null)
    {
        JsonElement usage = default;
        await Poll.UntilAsync(async () => ready(usage = await UsageAsync(client)), "the counts in GET /v1/usage");
        return usage;
    }

    private static long Writes(JsonElement usage) => usage.GetProperty("records").GetProperty("writes").GetProperty("count").GetInt64();

    private static long Count(JsonElement usage, string section, string group, string kind) =>
        usage.GetProperty(section).GetProperty(group).GetProperty(kind).GetProperty("count").GetInt64();

    private static long Identity(JsonElement usage, string surface) =>
        usage.GetProperty("identity").GetProperty(surface).GetProperty("writes").GetProperty("count").GetInt64();

    private async Task<long> ScalarAsync(string sql, params object[] args)
    {
        await using var cmd = Db.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
