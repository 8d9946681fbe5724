using System.Net.Http.Json;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// Issue #10 item 8: the metering overhead on the write path. Two servers in this process, alike except that one runs
/// with <c>Vectros:Usage:Enabled=false</c> (the no-op meter, the baseline) and the other meters every write (allowance
/// check + one-way count) on an unlimited plan, so nothing is refused. HTTP record creates are measured on each in
/// alternating rounds, best of each kept, and the ratio printed (target ≥ 0.95×).
/// </summary>
public static class MeteringScenario
{
    private const int Rounds = 3;

    public static async Task RunAsync(BenchOptions options)
    {
        await using var offDb = await TestDatabase.CreateAsync("benchmeteroff");
        await using var onDb = await TestDatabase.CreateAsync("benchmeteron");
        var offSettings = RecordScenario.ServerSettings();
        offSettings["Vectros:Usage:Enabled"] = "false";
        var onSettings = RecordScenario.ServerSettings();
        onSettings["Vectros:Usage:DefaultPlan"] = "enterprise";
        await using var off = await VectrosTestServer.StartAsync(offDb.ConnectionString, offSettings);
        await using var on = await VectrosTestServer.StartAsync(onDb.ConnectionString, onSettings);
        using var offClient = await ClientAsync(off);
        using var onClient = await ClientAsync(on);

        Measurement? bestOff = null;
        Measurement? bestOn = null;
        var next = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var m = await Measurement.RunAsync("HTTP POST /v1/records, meter off", options.Operations, options.Concurrency, _ => CreateAsync(offClient, Interlocked.Increment(ref next)));
            bestOff = bestOff is null || m.Throughput > bestOff.Throughput ? m : bestOff;
            m = await Measurement.RunAsync("HTTP POST /v1/records, meter on", options.Operations, options.Concurrency, _ => CreateAsync(onClient, Interlocked.Increment(ref next)));
            bestOn = bestOn is null || m.Throughput > bestOn.Throughput ? m : bestOn;
        }

        Console.WriteLine($"metering: {options.Operations} record creates per run, concurrency {options.Concurrency}, best of {Rounds} alternating rounds");
        Console.WriteLine(" baseline = the same server with the no-op meter:");
        Console.WriteLine(bestOff!.Row(bestOff));
        Console.WriteLine(bestOn!.Row(bestOff));
        var ratio = bestOn.Throughput / bestOff.Throughput;
        Console.WriteLine(FormattableString.Invariant($" metered / unmetered throughput: x{ratio:F2} (target >= 0.95)"));
    }

    private static async Task<HttpClient> ClientAsync(VectrosTestServer server)
    {
        var partner = await server.CreatePartnerAsync("bench");
        var client = server.CreateClient(partner.TestKey.RawKey);
        (await client.PostAsJsonAsync("/v1/schemas", RecordScenario.CustomerSchema)).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task CreateAsync(HttpClient client, int i)
    {
        using var response = await client.PostAsJsonAsync("/v1/records", new
        {
            typeName = "customer",
            payload = new { email = $"m{i}@example.com", name = $"Meter {i % 97}", tier = i % 5 },
        });
        response.EnsureSuccessStatusCode();
    }
}
