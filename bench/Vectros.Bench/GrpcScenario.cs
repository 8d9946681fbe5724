using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Npgsql;
using Vectros.TestSupport;
using Vectros.V1;

namespace Vectros.Bench;

/// <summary>
/// Issue #12 item 6: unary record get and record create over the internal gRPC API against the same operations over
/// HTTP/JSON, on the same server in the same run, all driven from this process at the same concurrency. The baseline
/// is HTTP (HttpClient's HTTP/1.1 connection pool): a ratio above 1 means gRPC did more operations per second. gRPC
/// runs twice: on one channel (one HTTP/2 connection, as an internal service usually holds it) and on one channel per
/// concurrent caller (as many connections as the HTTP pool). Rounds rotate the order and keep the best of each, so a
/// noisy moment on the shared 2-core machine does not land on one side only.
/// </summary>
public static class GrpcScenario
{
    private const int Rounds = 3;

    public static async Task RunAsync(BenchOptions options)
    {
        await using var db = await TestDatabase.CreateAsync("benchgrpc");
        var settings = RecordScenario.ServerSettings();
        // Nine create runs outrun the default plan's monthly credits; enterprise has no cap (as the metering scenario).
        settings["Vectros:Usage:DefaultPlan"] = "enterprise";
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, settings);
        var partner = await server.CreatePartnerAsync("bench");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        (await client.PostAsJsonAsync("/v1/schemas", RecordScenario.CustomerSchema)).EnsureSuccessStatusCode();
        using var channel = server.CreateGrpcChannel(partner.TestKey.RawKey);
        var records = new Records.RecordsClient(channel);

        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var ops = options.Operations;
        var perRound = ops + Measurement.WarmUp;
        var ids = new string[perRound];
        Task<Measurement> HttpCreate(int round) => Measurement.RunAsync("HTTP POST /v1/records", ops, options.Concurrency, async i =>
        {
            // Emails are unique per protocol and round: the email lookup is unique.
            using var response = await client.PostAsJsonAsync("/v1/records", new
            {
                typeName = "customer",
                payload = new { email = $"http{round * perRound + i}@example.com", name = $"Http {i % 97}", tier = i % 5 },
            });
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        });
        // Two gRPC clients: one channel (one HTTP/2 connection, the usual way to hold a channel) and one channel per
        // concurrent caller (as many connections as the HTTP side's pool), to tell the protocol from the connection.
        var channels = Enumerable.Range(0, options.Concurrency).Select(_ => server.CreateGrpcChannel(partner.TestKey.RawKey)).ToArray();
        var pooled = channels.Select(c => new Records.RecordsClient(c)).ToArray();
        Func<int, Task<Measurement>> GrpcCreate(string name, string tag, Func<int, Records.RecordsClient> pick) => round =>
            Measurement.RunAsync(name, ops, options.Concurrency, async i =>
            {
                var payload = new Struct();
                payload.Fields["email"] = Value.ForString($"{tag}{round * perRound + i}@example.com");
                payload.Fields["name"] = Value.ForString($"Grpc {i % 97}");
                payload.Fields["tier"] = Value.ForNumber(i % 5);
                await pick(i).CreateRecordAsync(new CreateRecordRequest { Record = new RecordFields { TypeName = "customer", Payload = payload } });
            });
        Task<Measurement> HttpGet(int round) => Measurement.RunAsync("HTTP GET /v1/records/{id}", ops, options.Concurrency, async i =>
        {
            using var response = await client.GetAsync($"/v1/records/{ids[i % ops]}");
            response.EnsureSuccessStatusCode();
        });
        Func<int, Task<Measurement>> GrpcGet(string name, Func<int, Records.RecordsClient> pick) => _ =>
            Measurement.RunAsync(name, ops, options.Concurrency, async i =>
                await pick(i).GetRecordAsync(new GetRecordRequest { Id = ids[i % ops] }));

        // Creates first (the reads need the ids); after each create run the outbox drains, so no run competes with the
        // index jobs of the one before. Reads then run in steady state on the records created over HTTP, warm
        // activations for every client.
        const string OneChannel = "gRPC, one channel";
        var perCaller = $"gRPC, {options.Concurrency} channels";
        var creates = await RotateAsync(
            [
                HttpCreate,
                GrpcCreate($"{OneChannel} CreateRecord", "grpc1-", _ => records),
                GrpcCreate($"{perCaller} CreateRecord", "grpcn-", i => pooled[i % pooled.Length]),
            ],
            () => RecordScenario.WaitForOutboxAsync(dataSource));
        var gets = await RotateAsync(
            [
                HttpGet,
                GrpcGet($"{OneChannel} GetRecord", _ => records),
                GrpcGet($"{perCaller} GetRecord", i => pooled[i % pooled.Length]),
            ],
            () => Task.CompletedTask);
        foreach (var c in channels)
        {
            c.Dispose();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"grpc: {ops} ops per run, concurrency {options.Concurrency}, best of {Rounds} rotating rounds, in-process clients against {server.BaseAddress} and {server.GrpcAddress}"));
        Console.WriteLine(" create (baseline = HTTP/JSON POST /v1/records on HttpClient's connection pool; schema with 2 lookups, one unique):");
        foreach (var m in creates)
        {
            Console.WriteLine(m.Row(creates[0]) + Latency(m, creates[0]));
        }

        Console.WriteLine(" get by id (baseline = HTTP/JSON GET /v1/records/{id}; cached activations):");
        foreach (var m in gets)
        {
            Console.WriteLine(m.Row(gets[0]) + Latency(m, gets[0]));
        }
    }

    /// <summary>
    /// <see cref="Rounds"/> rounds of every run, the order rotating each round (no client always inherits another's
    /// leftovers), <paramref name="settle"/> after each run; the best of each.
    /// </summary>
    private static async Task<Measurement[]> RotateAsync(Func<int, Task<Measurement>>[] runs, Func<Task> settle)
    {
        var best = new Measurement?[runs.Length];
        for (var round = 0; round < Rounds; round++)
        {
            for (var turn = 0; turn < runs.Length; turn++)
            {
                var k = (round + turn) % runs.Length;
                best[k] = Best(best[k], await runs[k](round));
                await settle();
            }
        }

        return best.Select(m => m!).ToArray();
    }

    private static Measurement Best(Measurement? best, Measurement next) =>
        best is null || next.Throughput > best.Throughput ? next : best;

    private static string Latency(Measurement m, Measurement baseline) => string.Create(CultureInfo.InvariantCulture,
        $", p50 x{m.P50Ms / baseline.P50Ms:F2} of baseline");
}
