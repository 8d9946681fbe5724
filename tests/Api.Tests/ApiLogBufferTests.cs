using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The log buffer never costs the request it describes: a full buffer drops (and counts) the entry, the request still
/// succeeds; and a server that stops writes what it still holds. Each test runs its own server with its own settings.
/// </summary>
public sealed partial class ApiLogBufferTests
{
    [Fact]
    public async Task A_full_buffer_drops_entries_counts_them_and_never_fails_the_request()
    {
        await using var db = await TestDatabase.CreateAsync("logdrop");
        // One slot and a writer that waits a minute for a batch: the buffer is full after the first entry.
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Logs:ChannelCapacity"] = "1",
            ["Vectros:Logs:BatchSize"] = "100",
            ["Vectros:Logs:FlushInterval"] = "00:01:00",
        });
        var partner = await server.CreatePartnerAsync("dropping");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/ping")).StatusCode);
        }

        var metrics = await server.CreateClient().GetStringAsync("/metrics");
        Assert.True(Counter(metrics, "vectros_api_log_dropped_total") >= 1, metrics);
    }

    [Fact]
    public async Task Stopping_the_server_writes_what_the_buffer_holds()
    {
        await using var db = await TestDatabase.CreateAsync("logflush");
        var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Logs:BatchSize"] = "1000",
            ["Vectros:Logs:FlushInterval"] = "00:01:00",
        });
        var partner = await server.CreatePartnerAsync("flushing");
        var ids = new List<string>();
        using (var client = server.CreateClient(partner.TestKey.RawKey))
        {
            for (var i = 0; i < 3; i++)
            {
                ids.Add((await client.GetAsync("/v1/ping")).Headers.GetValues("X-Request-Id").Single());
            }
        }

        await server.DisposeAsync();

        await using var data = NpgsqlDataSource.Create(db.ConnectionString);
        await using var cmd = data.CreateCommand("SELECT count(*) FROM api_call_log WHERE request_id = ANY($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        Assert.Equal(3L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    private static long Counter(string metrics, string name) =>
        long.Parse(CounterLine().Matches(metrics).Single(m => m.Groups[1].Value == name).Groups[2].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\w+) (\d+)$", RegexOptions.Multiline)]
    private static partial Regex CounterLine();
}
