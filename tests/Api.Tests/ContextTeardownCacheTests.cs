using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Deleting an app context deletes its data for real, including what grain activations hold in memory: after
/// the teardown, a record or schema that was cached answers as missing. (Root keys only act in `default`, so the
/// data is written through the grains with a caller bound to the doomed context, as a scoped credential would be.)
/// </summary>
public sealed class ContextTeardownCacheTests : ApiTestBase
{
    [Fact]
    public async Task Cached_grains_of_a_deleted_context_no_longer_serve_its_data()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "doomed-cache", name = "Doomed" })).StatusCode);
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(Partner.TestTenantId, "doomed-cache", Partner.TestKey.KeyId, IsRoot: true, ["*"]);
        var schema = grains.GetGrain<ISchemaGrain>(caller.KeyFor("note"));
        await schema.CreateAsync(caller, new SchemaDefinition { DisplayName = "Note" }, upsert: false);
        var record = grains.GetGrain<IRecordGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()));
        await record.CreateAsync(caller, new RecordWrite { TypeName = "note", Payload = new JsonObject { ["text"] = "hello" } }, upsert: false);
        await record.GetAsync(caller);
        Assert.NotNull(await schema.GetAsync());

        Assert.Equal(HttpStatusCode.Accepted, (await Client.DeleteAsync("/v1/app-contexts/doomed-cache?confirm=doomed-cache")).StatusCode);
        var status = (await AppContextPolling.StatusesUntilDeletedAsync(Client, "doomed-cache"))[^1];

        Assert.Equal("deleted", status);
        await Assert.ThrowsAsync<NotFoundException>(() => record.GetAsync(caller));
        Assert.Null(await schema.GetAsync());
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM records WHERE tenant_id = $1 AND context_id = 'doomed-cache'"));
        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND context_id = 'doomed-cache'"));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var cmd = Db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
