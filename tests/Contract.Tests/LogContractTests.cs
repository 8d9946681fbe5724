using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// getAdminLogs and getAccessLog over real HTTP: the spec's shapes (AdminLogsResponse, ReadAccessLogPage) and the 0.40
/// additions of <c>Delta040/logs.yaml</c>. Entries are written asynchronously, so each test first polls for them.
/// </summary>
public sealed class LogContractTests : ApiTestBase
{
    private static readonly string Since = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture));

    [SpecFact]
    public async Task Get_admin_logs()
    {
        await Client.GetAsync("/v1/ping");
        await Client.GetAsync($"/v1/records/{Guid.CreateVersion7()}");
        await Poll.UntilAsync(async () => (await JsonAsync(await Client.GetAsync($"/v1/admin/logs?startTime={Since}")))
            .GetProperty("entries").GetArrayLength() >= 2, "two log entries");

        var page = await Client.GetAsync($"/v1/admin/logs?startTime={Since}");
        await ContractAssert.MatchesResponseAsync("getAdminLogs", page);
        await ContractAssert.MatchesResponseAsync("getAdminLogs", await Client.GetAsync($"/v1/admin/logs?startTime={Since}&errorsOnly=true&limit=1"));
        var bad = await Client.GetAsync("/v1/admin/logs");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("getAdminLogs", bad);
    }

    [Fact]
    public async Task Admin_log_entries_carry_the_0_40_fields()
    {
        await Client.GetAsync($"/v1/records/{Guid.CreateVersion7()}");
        await Poll.UntilAsync(async () => (await JsonAsync(await Client.GetAsync($"/v1/admin/logs?startTime={Since}&errorsOnly=true")))
            .GetProperty("entries").GetArrayLength() >= 1, "an error entry");
        var body = await JsonAsync(await Client.GetAsync($"/v1/admin/logs?startTime={Since}"));
        ContractAssert.MatchesDelta("AdminLogsResponse040", body.GetRawText());
        Assert.Contains(body.GetProperty("entries").EnumerateArray(), e => e.GetProperty("errorCode").ValueKind == JsonValueKind.String);
    }

    [SpecFact]
    public async Task Get_access_log()
    {
        var id = await SensitiveReadAsync();
        var page = await Client.GetAsync($"/v1/admin/access-log?contextId=default&resourceId={id}");
        await ContractAssert.MatchesResponseAsync("getAccessLog", page);
        await ContractAssert.MatchesResponseAsync("getAccessLog", await Client.GetAsync("/v1/admin/access-log?contextId=default&limit=1"));
        var bad = await Client.GetAsync("/v1/admin/access-log");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync("getAccessLog", bad);
    }

    [Fact]
    public async Task Access_log_rows_answer_the_0_40_shape()
    {
        var id = await SensitiveReadAsync();
        var body = await JsonAsync(await Client.GetAsync($"/v1/admin/access-log?contextId=default&resourceId={id}"));
        ContractAssert.MatchesDelta("ReadAccessLogPage040", body.GetRawText());
        ContractAssert.MatchesDelta("ErrorResponse040", (await JsonAsync(await Client.GetAsync("/v1/admin/access-log"))).GetRawText());
    }

    /// <summary>A read of a record with a sensitive field, once its access-log row is there; returns the record id.</summary>
    private async Task<string> SensitiveReadAsync()
    {
        await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "chart",
            displayName = "Chart",
            fields = new object[] { new { fieldId = "dx", fieldType = "string", sensitive = true } },
        });
        var org = await JsonAsync(await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "o-" + Guid.NewGuid().ToString("N"), name = "Org" }));
        var created = await Client.PostAsJsonAsync("/v1/records", new { typeName = "chart", orgId = org.GetProperty("id").GetString(), payload = new { dx = "private" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/records/{id}")).StatusCode);
        await Poll.UntilAsync(async () => (await JsonAsync(await Client.GetAsync($"/v1/admin/access-log?contextId=default&resourceId={id}")))
            .GetProperty("data").GetArrayLength() >= 1, "the access-log row");
        return id;
    }
}
