using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #3 §8: a schema id of another tenant or context answers the same 404 as a missing id, for every verb.</summary>
public sealed class SchemaIsolationTests : SchemaTestBase
{
    [Fact]
    public async Task Other_tenants_get_404_for_every_verb_and_change_nothing()
    {
        var created = await CreateAsync(SchemaCrudTests.SpecExample());
        var id = created.GetProperty("id").GetString();
        var other = await Server.CreatePartnerAsync("schema-isolation-other");
        using var otherPartner = Server.CreateClient(other.TestKey.RawKey);
        using var liveKey = Server.CreateClient(Partner.LiveKey.RawKey);

        foreach (var client in new[] { otherPartner, liveKey })
        {
            await AssertNotFoundAsync(await client.GetAsync($"/v1/schemas/{id}"));
            await AssertNotFoundAsync(await client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "Hijacked" }));
            await AssertNotFoundAsync(await client.DeleteAsync($"/v1/schemas/{id}"));
            await AssertNotFoundAsync(await client.GetAsync($"/v1/schemas/{id}/versions"));

            var list = await JsonAsync(await client.GetAsync("/v1/schemas"));
            Assert.Equal(0, list.GetProperty("data").GetArrayLength());
            Assert.Equal(0, (await JsonAsync(await client.GetAsync("/v1/schemas?recordType=intake_form"))).GetProperty("data").GetArrayLength());

            // The same type name is free in another tenant: a separate schema.
            var mine = await CreateAsync(new { typeName = "intake_form", displayName = "Theirs" }, client);
            Assert.NotEqual(id, mine.GetProperty("id").GetString());
        }

        var after = await JsonAsync(await Client.GetAsync($"/v1/schemas/{id}"));
        Assert.Equal(created.GetRawText().Replace("\"created\":true,", "", StringComparison.Ordinal), after.GetRawText());
        Assert.Equal(1, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task Another_context_of_the_same_tenant_is_invisible()
    {
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var elsewhere = new CallerContext(Partner.TestTenantId, "elsewhere", "test-credential", IsRoot: true, []);
        var hidden = await grains.GetGrain<ISchemaGrain>(elsewhere.KeyFor("hidden"))
            .CreateAsync(elsewhere, new SchemaDefinition { DisplayName = "Hidden" }, upsert: false);
        Assert.True(hidden.Created);
        var id = hidden.Schema.Id;

        // The root key acts in the default context.
        await AssertNotFoundAsync(await Client.GetAsync($"/v1/schemas/{id}"));
        await AssertNotFoundAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "x" }));
        await AssertNotFoundAsync(await Client.DeleteAsync($"/v1/schemas/{id}"));
        await AssertNotFoundAsync(await Client.GetAsync($"/v1/schemas/{id}/versions"));
        Assert.Equal(0, (await JsonAsync(await Client.GetAsync("/v1/schemas"))).GetProperty("data").GetArrayLength());

        // Same type name in the default context is a different schema.
        var mine = await CreateAsync(new { typeName = "hidden", displayName = "Mine" });
        Assert.NotEqual(id.ToString(), mine.GetProperty("id").GetString());

        // A caller whose context does not match the grain key is refused like a missing schema.
        var defaultCaller = elsewhere with { ContextId = "default" };
        await Assert.ThrowsAsync<NotFoundException>(() => grains.GetGrain<ISchemaGrain>(elsewhere.KeyFor("hidden")).DeleteAsync(defaultCaller, null));
        Assert.Null(await grains.GetGrain<ISchemaQueryGrain>(defaultCaller.ContextKey).FindTypeNameAsync(id));
        Assert.Equal("hidden", await grains.GetGrain<ISchemaQueryGrain>(elsewhere.ContextKey).FindTypeNameAsync(id));
    }

    private static async Task AssertNotFoundAsync(HttpResponseMessage response)
    {
        var body = await ErrorAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("NOT_FOUND", body.GetProperty("errorCode").GetString());
        Assert.Equal("No schema with this id exists in your account.", body.GetProperty("message").GetString());
    }
}
