using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;
using Vectros.TestSupport;

namespace Vectros.Bench;

/// <summary>
/// Issue #3 §10. Writes: records through the HTTP API (schema with two lookups, audit history on) against
/// raw Npgsql writing the same rows (record, lookup rows, version row) in one transaction per record.
/// Reads: by id through HTTP and through the grain (activation cache) against raw Npgsql by primary key.
/// </summary>
public static class RecordScenario
{
    /// <summary>Only grain-level creates, for profiling the write path (<c>./vectros bench record-writes --ops N</c>).</summary>
    public static async Task RunWritesOnlyAsync(BenchOptions options)
    {
        await using var db = await TestDatabase.CreateAsync("benchrecw");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, ServerSettings());
        var partner = await server.CreatePartnerAsync("bench");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        (await client.PostAsJsonAsync("/v1/schemas", CustomerSchema)).EnsureSuccessStatusCode();
        var grains = (IGrainFactory)server.Services.GetService(typeof(IGrainFactory))!;
        var caller = new CallerContext(partner.TestTenantId, "default", partner.TestKey.KeyId, IsRoot: true, ["*"]);
        var m = await Measurement.RunAsync("grain CreateAsync (no HTTP)", options.Operations, options.Concurrency, i =>
            grains.GetGrain<IRecordGrain>(caller.KeyFor(Guid.CreateVersion7().ToString())).CreateAsync(caller, new RecordWrite
            {
                TypeName = "customer",
                Payload = new JsonObject { ["email"] = $"grain{i}@example.com", ["name"] = $"Grain {i % 97}", ["tier"] = i % 5 },
            }, upsert: false));
        Console.WriteLine(m.Row(m));
    }

    /// <summary>Row name of the raw-Npgsql write baseline (<see cref="RawRecordWrite"/>), shared with the HTTP scenario.</summary>
    internal const string RawWriteName = "raw Npgsql record+lookups+version txn";

    /// <summary>No rate limit (the bench is the only caller); everything else as shipped.</summary>
    internal static Dictionary<string, string?> ServerSettings() => new()
    {
        ["Vectros:RateLimit:PermitsPerMinute"] = "0",
    };

    /// <summary>The schema the record scenarios write against: two lookup fields, one of them unique.</summary>
    internal static readonly object CustomerSchema = new
    {
        typeName = "customer",
        displayName = "Customer",
        allowedSurfaces = new[] { "record" },
        fields = new object[]
        {
            new { fieldId = "email", fieldType = "string", required = true, validation = new { maxLength = 200 } },
            new { fieldId = "name", fieldType = "string" },
            new { fieldId = "tier", fieldType = "number" },
        },
        lookupFields = new object[] { new { fieldName = "email", unique = true }, "name" },
    };

    public static async Task RunAsync(BenchOptions options)
    {
        await using var db = await TestDatabase.CreateAsync("benchrec");
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, ServerSettings());
        var partner = await server.CreatePartnerAsync("bench");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        var schema = await client.PostAsJsonAsync("/v1/schemas", CustomerSchema);
        schema.EnsureSuccessStatusCode();

        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var tenant = partner.TestTenantId;
        var rawIds = new Guid[options.Operations + Measurement.WarmUp];
        var rawWrite = await Measurement.RunAsync(RawWriteName, options.Operations, options.Concurrency, async i =>
            rawIds[i] = await RawRecordWrite.InsertAsync(dataSource, tenant, i));

        var apiIds = new string[options.Operations + Measurement.WarmUp];
        var apiWrite = await Measurement.RunAsync("HTTP POST /v1/records", options.Operations, options.Concurrency, async i =>
        {
            using var response = await client.PostAsJsonAsync("/v1/records", new
            {
                typeName = "customer",
                payload = new { email = $"api{i}@example.com", name = $"Api {i % 97}", tier = i % 5 },
            });
            response.EnsureSuccessStatusCode();
            apiIds[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        });

        var grains = (IGrainFactory)server.Services.GetService(typeof(IGrainFactory))!;
        var caller = new CallerContext(tenant, "default", partner.TestKey.KeyId, IsRoot: true, ["*"]);
        var grainWrite = await Measurement.RunAsync("grain CreateAsync (no HTTP)", options.Operations, options.Concurrency, i =>
            grains.GetGrain<IRecordGrain>(caller.KeyFor(Guid.CreateVersion7().ToString())).CreateAsync(caller, new RecordWrite
            {
                TypeName = "customer",
                Payload = new JsonObject { ["email"] = $"grain{i}@example.com", ["name"] = $"Grain {i % 97}", ["tier"] = i % 5 },
            }, upsert: false));

        // Reads are measured in steady state: the index jobs the writes queued (records without searchable fields,
        // so SKIPPED) finish first instead of competing with the reads for the two cores.
        await WaitForOutboxAsync(dataSource);
        var rawRead = await Measurement.RunAsync("raw Npgsql SELECT record by primary key", options.Operations, options.Concurrency, async i =>
        {
            await using var cmd = dataSource.CreateCommand(
                "SELECT record_id, type_name, payload, version, updated_at FROM records WHERE tenant_id = $1 AND context_id = 'default' AND record_id = $2");
            cmd.Parameters.AddWithValue(tenant);
            cmd.Parameters.AddWithValue(rawIds[i % options.Operations]);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
        });

        var grainRead = await Measurement.RunAsync("grain GetAsync (activation cache)", options.Operations, options.Concurrency, i =>
            grains.GetGrain<IRecordGrain>(caller.KeyFor(apiIds[i % options.Operations])).GetAsync(caller));

        var httpRead = await Measurement.RunAsync("HTTP GET /v1/records/{id}", options.Operations, options.Concurrency, async i =>
        {
            using var response = await client.GetAsync($"/v1/records/{apiIds[i % options.Operations]}");
            response.EnsureSuccessStatusCode();
        });

        Console.WriteLine($"records: {options.Operations} ops per run, concurrency {options.Concurrency}");
        Console.WriteLine(" writes (baseline = raw Npgsql, one transaction per record):");
        Console.WriteLine(rawWrite.Row(rawWrite));
        Console.WriteLine(grainWrite.Row(rawWrite));
        Console.WriteLine(apiWrite.Row(rawWrite));
        Console.WriteLine(" reads (baseline = raw Npgsql by primary key):");
        Console.WriteLine(rawRead.Row(rawRead));
        Console.WriteLine(grainRead.Row(rawRead));
        Console.WriteLine(httpRead.Row(rawRead));
    }

    internal static async Task WaitForOutboxAsync(NpgsqlDataSource dataSource)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using var cmd = dataSource.CreateCommand("SELECT count(*) FROM outbox");
        while ((long)(await cmd.ExecuteScalarAsync())! > 0)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new BenchFailedException("records: the outbox did not drain within 5 minutes.");
            }

            await Task.Delay(100);
        }
    }

}
