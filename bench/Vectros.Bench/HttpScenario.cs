using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// The HTTP API under an external load generator (wrk), the server in this process on 127.0.0.1. Reads: a cached
/// GET /v1/records/{id} against GET /healthz, the ceiling of this host's HTTP stack. Writes: POST /v1/records against
/// raw Npgsql writing the same rows in one transaction (<see cref="RawRecordWrite"/>) at the same concurrency.
/// </summary>
public static class HttpScenario
{
    /// <summary>Before each timed wrk run, as <see cref="Measurement.WarmUp"/>: JIT tiers, pools and caches settle.</summary>
    private const int WarmUpSeconds = 2;

    /// <summary>
    /// One new customer per request. The email lookup is unique, so each email carries the run (<c>args[1]</c>), the
    /// wrk thread (numbered by <c>setup</c> in wrk's main state) and the thread's request count.
    /// </summary>
    private const string PostRecordScript = """
        local threads = 0
        function setup(thread)
          threads = threads + 1
          thread:set("tid", threads)
        end

        local run, n = "", 0
        function init(args)
          run = args[1] or ""
        end

        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"

        function request()
          n = n + 1
          return wrk.format(nil, nil, nil, string.format(
            '{"typeName":"customer","payload":{"email":"wrk-%s-%d-%d@example.com","name":"Wrk %d","tier":%d}}',
            run, tid, n, n % 97, n % 5))
        end
        """;

    public static async Task RunAsync(BenchOptions options)
    {
        // Before anything starts: without wrk there is nothing to measure.
        var wrk = Wrk.Locate();
        await using var db = await TestDatabase.CreateAsync("benchhttp");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, RecordScenario.ServerSettings());
        var partner = await server.CreatePartnerAsync("bench");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        (await client.PostAsJsonAsync("/v1/schemas", RecordScenario.CustomerSchema)).EnsureSuccessStatusCode();
        using var created = await client.PostAsJsonAsync("/v1/records", new
        {
            typeName = "customer",
            payload = new { email = "get@example.com", name = "Get", tier = 1 },
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var connections = options.Concurrency;
        var healthz = await WarmThenMeasureAsync(wrk, "GET /healthz", new WrkRun(new Uri(server.BaseAddress, "/healthz"), connections, options.DurationSeconds));
        var get = await WarmThenMeasureAsync(wrk, "GET /v1/records/{id} (cached)",
            new WrkRun(new Uri(server.BaseAddress, $"/v1/records/{id}"), connections, options.DurationSeconds) { Bearer = partner.TestKey.RawKey });

        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var raw = await Measurement.RunAsync(RecordScenario.RawWriteName, options.Operations, options.Concurrency, i =>
            RawRecordWrite.InsertAsync(dataSource, partner.TestTenantId, i));
        var script = Path.Combine(Path.GetTempPath(), $"vectros-bench-post-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, PostRecordScript);
        Measurement post;
        try
        {
            post = await WarmThenMeasureAsync(wrk, "POST /v1/records",
                new WrkRun(new Uri(server.BaseAddress, "/v1/records"), connections, options.DurationSeconds) { Bearer = partner.TestKey.RawKey, Script = script });
        }
        finally
        {
            File.Delete(script);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"http: wrk -t{Wrk.Threads(connections)} -c{connections} -d{options.DurationSeconds}s (after a {WarmUpSeconds} s warm-up) against the in-process server at {server.BaseAddress}"));
        Console.WriteLine(" reads (baseline = GET /healthz, this host's HTTP ceiling: no auth, no grain):");
        Console.WriteLine(healthz.Row(healthz));
        Console.WriteLine(get.Row(healthz));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $" writes (baseline = raw Npgsql, the same rows in one transaction, {options.Operations} records at concurrency {options.Concurrency} in this process):"));
        Console.WriteLine(raw.Row(raw));
        Console.WriteLine(post.Row(raw));
    }

    private static async Task<Measurement> WarmThenMeasureAsync(string wrk, string name, WrkRun run)
    {
        // The script's run argument keeps the warm-up's emails apart from the timed run's.
        await Wrk.RunAsync(wrk, name, run with { Seconds = WarmUpSeconds, ScriptArgs = run.Script is null ? [] : ["warm"] });
        return await Wrk.RunAsync(wrk, name, run with { ScriptArgs = run.Script is null ? [] : ["timed"] });
    }
}
