using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>GET /v1/admin/logs</c> (issue #9 item 8): every /v1 call is logged with metadata only, refusals included,
/// filterable as the spec says, and a tenant sees only its own entries. Entries arrive asynchronously: tests poll.
/// </summary>
public sealed class AdminLogsTests : RecordTestBase
{
    private const string Ssn = "321-54-9876";

    private readonly string _since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);

    private Task SensitiveSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "patient",
        displayName = "Patient",
        fields = new object[]
        {
            new { fieldId = "name", fieldType = "string" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true },
        },
        lookupFields = new object[] { new { fieldName = "ssn", unique = true } },
    });

    private static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("X-Request-Id").Single();

    private async Task<JsonElement> LogsAsync(string filters = "", HttpClient? client = null)
    {
        var response = await (client ?? Client).GetAsync($"/v1/admin/logs?startTime={Uri.EscapeDataString(_since)}{filters}");
        return await ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Polls until the log holds an entry for each request id, and returns those entries by id.</summary>
    private async Task<Dictionary<string, JsonElement>> EntriesAsync(params string[] requestIds)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await Poll.UntilAsync(async () =>
        {
            var page = await LogsAsync("&limit=500");
            found = page.GetProperty("entries").EnumerateArray()
                .Where(e => requestIds.Contains(e.GetProperty("requestId").GetString()))
                .ToDictionary(e => e.GetProperty("requestId").GetString()!, StringComparer.Ordinal);
            return found.Count == requestIds.Length;
        }, "log entries for " + string.Join(", ", requestIds));
        return found;
    }

    [Fact]
    public async Task Calls_are_logged_with_the_route_template_and_never_a_value_or_key()
    {
        await SensitiveSchemaAsync();
        var created = await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", ssn = Ssn } });
        var id = Id(created);
        var get = await Client.GetAsync($"/v1/records/{id}");
        var lookup = await Client.GetAsync($"/v1/records/lookup?type=patient&field=ssn&value={Ssn}");
        var missing = await Client.GetAsync($"/v1/records/{Guid.CreateVersion7()}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        // A sensitive value in a query string (refused: lookups of sensitive fields go in a body) is never logged.
        Assert.Equal(HttpStatusCode.BadRequest, lookup.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var entries = await EntriesAsync(RequestId(get), RequestId(lookup), RequestId(missing));
        var read = entries[RequestId(get)];
        Assert.Equal("GET", read.GetProperty("method").GetString());
        Assert.Equal("records", read.GetProperty("resource").GetString());
        Assert.Equal("/v1/records/{id}", read.GetProperty("path").GetString());
        Assert.Equal(200, read.GetProperty("status").GetInt32());
        Assert.Equal(Partner.TestKey.KeyId, read.GetProperty("keyId").GetString());
        Assert.Equal("default", read.GetProperty("contextId").GetString());
        Assert.True(read.GetProperty("durationMs").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("errorCode").ValueKind);
        Assert.Equal(JsonValueKind.Null, read.GetProperty("delegationChain").ValueKind);
        Assert.True(DateTimeOffset.TryParse(read.GetProperty("timestamp").GetString(), CultureInfo.InvariantCulture, out _));

        Assert.Equal("/v1/records/lookup", entries[RequestId(lookup)].GetProperty("path").GetString());
        var notFound = entries[RequestId(missing)];
        Assert.Equal(404, notFound.GetProperty("status").GetInt32());
        Assert.Equal((await JsonAsync(missing)).GetProperty("errorCode").GetString(), notFound.GetProperty("errorCode").GetString());

        // The table itself holds no sensitive value, no raw key, no record id and no query string.
        await using var cmd = Db.CreateCommand("SELECT row_to_json(l)::text FROM api_call_log l WHERE tenant_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
        var rows = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.DoesNotContain(Ssn, row, StringComparison.Ordinal);
            Assert.DoesNotContain(Partner.TestKey.RawKey, row, StringComparison.Ordinal);
            Assert.DoesNotContain(id, row, StringComparison.Ordinal);
            Assert.DoesNotContain("?", row, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Filters_narrow_the_entries_and_limit_marks_truncation()
    {
        await CreateBareSchemaAsync("note");
        var post = await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { v = 1 } });
        var ping = await Client.GetAsync("/v1/ping");
        var bad = await Client.GetAsync("/v1/records?limit=0&type=note");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await EntriesAsync(RequestId(post), RequestId(ping), RequestId(bad));

        static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("requestId").GetString()!);

        var posts = await LogsAsync("&method=POST&resource=records");
        Assert.Contains(RequestId(post), Ids(posts));
        Assert.All(posts.GetProperty("entries").EnumerateArray(), e =>
        {
            Assert.Equal("POST", e.GetProperty("method").GetString());
            Assert.Equal("records", e.GetProperty("resource").GetString());
        });

        var pings = await LogsAsync("&resource=ping&method=get");
        Assert.Equal([RequestId(ping)], Ids(pings));

        var errors = await LogsAsync("&errorsOnly=true");
        Assert.Contains(RequestId(bad), Ids(errors));
        Assert.All(errors.GetProperty("entries").EnumerateArray(), e => Assert.True(e.GetProperty("status").GetInt32() >= 400));

        Assert.Contains(RequestId(ping), Ids(await LogsAsync($"&keyId={Partner.TestKey.KeyId}&contextId=default")));
        Assert.Empty(Ids(await LogsAsync("&keyId=key_nobody")));
        Assert.Empty(Ids(await LogsAsync("&contextId=elsewhere")));
        // The 0.31 resources stay filterable: their routes are still served (DESIGN §5a).
        Assert.Empty(Ids(await LogsAsync("&resource=orgs")));

        var one = await LogsAsync("&limit=1");
        Assert.Single(Ids(one));
        Assert.True(one.GetProperty("truncated").GetBoolean());
        Assert.Equal(Partner.TestTenantId, one.GetProperty("tenantId").GetString());
        Assert.True(one.GetProperty("queryDurationMs").GetInt64() >= 0);

        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("O", CultureInfo.InvariantCulture);
        var later = DateTimeOffset.UtcNow.AddHours(2).ToString("O", CultureInfo.InvariantCulture);
        var empty = await ExpectAsync(
            await Client.GetAsync($"/v1/admin/logs?startTime={Uri.EscapeDataString(future)}&endTime={Uri.EscapeDataString(later)}"), HttpStatusCode.OK);
        Assert.Empty(Ids(empty));
        Assert.False(empty.GetProperty("truncated").GetBoolean());
    }

    [Theory]
    [InlineData("", "startTime")]
    [InlineData("?startTime=yesterday", "startTime")]
    [InlineData("?startTime=2026-01-02T00:00:00Z&endTime=2026-01-01T00:00:00Z", "endTime")]
    [InlineData("?startTime=2026-01-01T00:00:00Z&resource=widgets", "resource")]
    [InlineData("?startTime=2026-01-01T00:00:00Z&method=TRACE", "method")]
    [InlineData("?startTime=2026-01-01T00:00:00Z&errorsOnly=maybe", "errorsOnly")]
    [InlineData("?startTime=2026-01-01T00:00:00Z&limit=501", "limit")]
    [InlineData("?startTime=2026-01-01T00:00:00Z&limit=0", "limit")]
    public async Task Bad_parameters_are_a_400_naming_the_parameter(string query, string field)
    {
        var body = await ExpectAsync(await Client.GetAsync("/v1/admin/logs" + query), HttpStatusCode.BadRequest);
        Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_unauthenticated_call_is_stored_without_a_tenant_and_shown_to_nobody()
    {
        using var anonymous = Server.CreateClient("sk_test_not-a-real-key-0000000000");
        var refused = await anonymous.GetAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var requestId = RequestId(refused);

        long stored = 0;
        await Poll.UntilAsync(async () =>
        {
            stored = await ScalarAsync("SELECT count(*) FROM api_call_log WHERE request_id = $1 AND tenant_id IS NULL AND status = 401 AND error_code = 'UNAUTHORIZED'", requestId);
            return stored == 1;
        }, "the 401 in api_call_log");

        var page = await LogsAsync("&limit=500&errorsOnly=true");
        Assert.DoesNotContain(page.GetProperty("entries").EnumerateArray(), e => e.GetProperty("requestId").GetString() == requestId);
        var metrics = await Server.CreateClient().GetStringAsync("/metrics");
        Assert.Contains("vectros_api_log_anonymous_total ", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_sees_only_its_own_entries()
    {
        var other = await Server.CreatePartnerAsync("AdminLogsTests-other");
        using var otherClient = Server.CreateClient(other.TestKey.RawKey);
        var theirs = await otherClient.GetAsync("/v1/ping");
        var mine = await Client.GetAsync("/v1/ping");
        await EntriesAsync(RequestId(mine));

        // Wait until theirs is visible to them, then check it never shows up for us (and the live tenant is separate too).
        await Poll.UntilAsync(async () =>
        {
            var page = await LogsAsync("&resource=ping", otherClient);
            return page.GetProperty("entries").EnumerateArray().Any(e => e.GetProperty("requestId").GetString() == RequestId(theirs));
        }, "the other tenant's ping in its own log");
        var ours = await LogsAsync("&limit=500");
        Assert.DoesNotContain(ours.GetProperty("entries").EnumerateArray(), e => e.GetProperty("requestId").GetString() == RequestId(theirs));
        Assert.All(ours.GetProperty("entries").EnumerateArray(), e => Assert.Equal(Partner.TestKey.KeyId, e.GetProperty("keyId").GetString()));

        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        var liveLog = await LogsAsync("&limit=500", live);
        Assert.DoesNotContain(liveLog.GetProperty("entries").EnumerateArray(), e => e.GetProperty("requestId").GetString() == RequestId(mine));
    }
}
