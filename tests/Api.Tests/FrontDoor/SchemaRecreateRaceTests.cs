using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>
/// Schema PUT and DELETE resolve the id to a type name, then make one grain call that re-checks the id in the same turn
/// as the write. The race (the type deleted and re-created between the two) is replayed deterministically by making
/// that one call with the old id after the re-create (issue #9 item 10).
/// </summary>
public sealed class SchemaRecreateRaceTests : ApiTestBase
{
    [Fact]
    public async Task An_old_id_after_delete_and_recreate_is_a_404_and_the_new_schema_is_untouched()
    {
        var oldId = Guid.Parse((await CreateSchemaAsync(Definition("Old"))).GetProperty("id").GetString()!);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{oldId}")).StatusCode);
        var created = await CreateSchemaAsync(Definition("New"));
        var newId = Guid.Parse(created.GetProperty("id").GetString()!);
        Assert.NotEqual(oldId, newId);

        // The moment of the race: the old id was resolved to the grain of type "raced", which now holds the new schema.
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(Partner.TestTenantId, "default", Partner.TestKey.KeyId, IsRoot: true, []);
        var grain = grains.GetGrain<ISchemaGrain>(caller.KeyFor("raced"));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.PutAsync(caller, new SchemaPatch { DisplayName = "Hijacked" }, oldId));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.DeleteAsync(caller, oldId));

        // Over HTTP the old id is gone too, for both verbs.
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync($"/v1/schemas/{oldId}", new { displayName = "Hijacked" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/v1/schemas/{oldId}")).StatusCode);

        var now = await JsonAsync(await Client.GetAsync($"/v1/schemas/{newId}"));
        Assert.Equal("New", now.GetProperty("displayName").GetString());
        Assert.Equal(created.GetProperty("schemaVersion").GetInt32(), now.GetProperty("schemaVersion").GetInt32());

        // The right id still works, through the same single call.
        Assert.Equal("Renamed", (await grain.PutAsync(caller, new SchemaPatch { DisplayName = "Renamed" }, newId)).Definition.DisplayName);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{newId}")).StatusCode);
    }

    private static object Definition(string displayName) => new
    {
        typeName = "raced",
        displayName,
        fields = new[] { new { fieldId = "topic", fieldType = "string" } },
    };
}
