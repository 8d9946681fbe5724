using System.Net.Http.Json;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// Reading one app context: through HTTP (auth, routing, grain, JSON), through the grain alone (cached
/// activation), against the baseline of raw Npgsql reading the same row by primary key.
/// </summary>
public static class AppContextScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        await using var db = await TestDatabase.CreateAsync("bench");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString);
        var partner = await server.CreatePartnerAsync("bench");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "bench-app", name = "Bench" })).EnsureSuccessStatusCode();

        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var baseline = await Measurement.RunAsync("raw Npgsql SELECT by primary key", options.Operations, options.Concurrency, async _ =>
        {
            await using var cmd = dataSource.CreateCommand(
                "SELECT tenant_id, context_id, name, description, status, created_at, updated_at FROM app_contexts WHERE tenant_id = $1 AND context_id = $2");
            cmd.Parameters.AddWithValue(partner.TestTenantId);
            cmd.Parameters.AddWithValue("bench-app");
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
        });

        var grains = (IGrainFactory)server.Services.GetService(typeof(IGrainFactory))!;
        var grain = grains.GetGrain<IAppContextGrain>(AppContextKeys.Composite(partner.TestTenantId, "bench-app"));
        var viaGrain = await Measurement.RunAsync("grain GetAsync (activation cache)", options.Operations, options.Concurrency, _ => grain.GetAsync());

        var viaHttp = await Measurement.RunAsync("HTTP GET /v1/app-contexts/{id}", options.Operations, options.Concurrency, async _ =>
        {
            using var response = await client.GetAsync("/v1/app-contexts/bench-app");
            response.EnsureSuccessStatusCode();
        });

        Console.WriteLine($"app-contexts: {options.Operations} reads, concurrency {options.Concurrency}; baseline = raw Npgsql");
        foreach (var m in new[] { baseline, viaGrain, viaHttp })
        {
            Console.WriteLine(m.Row(baseline));
        }
    }
}
