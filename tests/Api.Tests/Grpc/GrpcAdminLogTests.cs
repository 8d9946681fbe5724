using System.Globalization;
using System.Text.Json;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>gRPC calls land in the admin log as HTTP calls do, with the status the HTTP API would have answered.</summary>
public sealed class GrpcAdminLogTests : GrpcTestBase
{
    [Fact]
    public async Task A_grpc_call_is_logged_with_its_method_route_status_and_error_code()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        var failure = await FailsAsync(new Records.RecordsClient(Channel).GetRecordAsync(new GetRecordRequest { Id = Guid.NewGuid().ToString() }));
        Assert.NotNull(failure.RequestId);

        var call = new Ping.PingClient(Channel).PingAsync(new PingRequest());
        await call.ResponseAsync;
        var pingId = (await call.ResponseHeadersAsync).GetValue("x-request-id");
        Assert.False(string.IsNullOrEmpty(pingId));

        var entries = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await Poll.UntilAsync(async () =>
        {
            var page = await JsonAsync(await Client.GetAsync($"/v1/admin/logs?startTime={Uri.EscapeDataString(since)}&limit=500"));
            entries = page.GetProperty("entries").EnumerateArray()
                .Where(e => e.GetProperty("requestId").GetString() is { } id && (id == failure.RequestId || id == pingId))
                .ToDictionary(e => e.GetProperty("requestId").GetString()!, StringComparer.Ordinal);
            return entries.Count == 2;
        }, "gRPC log entries");

        var get = entries[failure.RequestId!];
        Assert.Equal("/vectros.v1.Records/GetRecord", get.GetProperty("path").GetString());
        Assert.Equal("records", get.GetProperty("resource").GetString());
        Assert.Equal("POST", get.GetProperty("method").GetString());
        Assert.Equal(404, get.GetProperty("status").GetInt32());
        Assert.Equal("NOT_FOUND", get.GetProperty("errorCode").GetString());
        var ping = entries[pingId!];
        Assert.Equal("ping", ping.GetProperty("resource").GetString());
        Assert.Equal(200, ping.GetProperty("status").GetInt32());
    }
}
