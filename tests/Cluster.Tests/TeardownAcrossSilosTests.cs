using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Vectros.Cluster.Tests;

/// <summary>
/// Context teardown in a two-silo cluster (two servers in this process, one cluster id, one database): the grains
/// that cache the context's rows are dropped on whichever silo holds them, so after the context reports
/// <c>deleted</c> no silo serves a stale read.
/// </summary>
public sealed class TeardownAcrossSilosTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_context_reports_deleted_no_silo_serves_its_cached_records_or_schemas()
    {
        await using var database = await TestDatabase.CreateAsync("teardown2");
        var cluster = new Dictionary<string, string?> { ["Vectros:Orleans:ClusterId"] = $"two-{Guid.NewGuid():N}" };
        await using var a = await VectrosTestServer.StartAsync(database.ConnectionString, cluster);
        await using var b = await VectrosTestServer.StartAsync(database.ConnectionString, cluster);
        var partner = await a.CreatePartnerAsync("teardown");
        using var client = a.CreateClient(partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "doomed-two", name = "Doomed" })).StatusCode);

        // Root keys act in `default` only, so the context's data is written through the grains with a caller bound
        // to it, as a scoped credential would be.
        var caller = new CallerContext(partner.TestTenantId, "doomed-two", partner.TestKey.KeyId, IsRoot: true, ["*"]);
        var grainsA = a.Services.GetRequiredService<IGrainFactory>();
        var grainsB = b.Services.GetRequiredService<IGrainFactory>();
        await grainsA.GetGrain<ISchemaGrain>(caller.KeyFor("note")).CreateAsync(caller, new SchemaDefinition { DisplayName = "Note" }, upsert: false);

        // Records until both silos hold some of them in memory, read through both silos. Placement only spreads
        // once each silo sees the other as active: a silo that has not yet joined keeps every activation to itself.
        var management = grainsA.GetGrain<IManagementGrain>(0);
        foreach (var grains in new[] { grainsA, grainsB })
        {
            var view = grains.GetGrain<IManagementGrain>(0);
            await Poll.UntilAsync(async () => (await view.GetHosts(onlyActive: true)).Count == 2, "both silos to see each other as active");
        }

        var records = new List<IRecordGrain>();
        var hosts = new HashSet<SiloAddress>();
        while (records.Count < 300 && (records.Count < 10 || hosts.Count < 2))
        {
            var id = caller.KeyFor(Guid.CreateVersion7().ToString());
            await grainsB.GetGrain<IRecordGrain>(id).CreateAsync(caller, new RecordWrite { TypeName = "note", Payload = new JsonObject { ["n"] = records.Count } }, upsert: false);
            var record = grainsA.GetGrain<IRecordGrain>(id);
            await record.GetAsync(caller);
            hosts.Add((await management.GetActivationAddress(record))!);
            records.Add(record);
        }

        Assert.Equal(2, hosts.Count);
        output.WriteLine($"{records.Count} records cached across {hosts.Count} silos");

        Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync("/v1/app-contexts/doomed-two?confirm=doomed-two")).StatusCode);
        Assert.Equal("deleted", (await AppContextPolling.StatusesUntilDeletedAsync(client, "doomed-two"))[^1]);

        foreach (var grains in new[] { grainsA, grainsB })
        {
            foreach (var record in records)
            {
                await Assert.ThrowsAsync<NotFoundException>(() => grains.GetGrain<IRecordGrain>(record.GetPrimaryKeyString()).GetAsync(caller));
            }

            Assert.Null(await grains.GetGrain<ISchemaGrain>(caller.KeyFor("note")).GetAsync());
        }
    }
}
