using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Schemas;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Schemas in the 0.40 form (API-DELTA-0.40 §5): ownership scopes, the entity surface, ttlEligible.</summary>
public sealed class SchemaScopeTests : SchemaTestBase
{
    private static string[] Scopes(JsonElement schema) => [.. schema.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task Schemas_take_scopes_or_the_0_31_owner_fields_and_list_by_scope()
    {
        var org = Guid.NewGuid();
        var scoped = await CreateSchemaAsync(new { typeName = "ticket", displayName = "Ticket", scopes = new[] { "team:blue" } });
        Assert.Equal(["team:blue"], Scopes(scoped));
        var legacy = await CreateSchemaAsync(new { typeName = "invoice", displayName = "Invoice", orgId = org });
        Assert.Equal([$"org:{org}"], Scopes(legacy));
        var shared = await CreateSchemaAsync(new { typeName = "shared", displayName = "Shared" });
        Assert.Empty(Scopes(shared));

        var byScope = await JsonAsync(await Client.GetAsync("/v1/schemas?scope=team:blue"));
        Assert.Equal(["ticket"], byScope.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("typeName").GetString()));
        var byOrg = await JsonAsync(await Client.GetAsync($"/v1/schemas?orgId={org}"));
        Assert.Equal(["invoice"], byOrg.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("typeName").GetString()));

        // PUT without scopes keeps them; with scopes replaces them.
        var put = await Client.PutAsJsonAsync($"/v1/schemas/{scoped.GetProperty("id").GetString()}", new { displayName = "Ticket 2" });
        Assert.Equal(["team:blue"], Scopes(await JsonAsync(put)));
        put = await Client.PutAsJsonAsync($"/v1/schemas/{scoped.GetProperty("id").GetString()}", new { scopes = new[] { "team:red" } });
        Assert.Equal(["team:red"], Scopes(await JsonAsync(put)));

        var bad = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "bad", displayName = "Bad", scopes = new[] { "user:x" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task The_entity_surface_and_the_0_31_org_and_client_surfaces_are_accepted()
    {
        var entity = await CreateSchemaAsync(new { typeName = "team_profile", displayName = "Team", allowedSurfaces = new[] { "entity" } });
        Assert.Equal(["entity"], entity.GetProperty("allowedSurfaces").EnumerateArray().Select(s => s.GetString()));
        await CreateSchemaAsync(new { typeName = "org_profile", displayName = "Org", allowedSurfaces = new[] { "org", "client" } });

        // entity is a binding, not a reference target.
        var target = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "refs",
            displayName = "Refs",
            fields = new object[] { new { fieldId = "owner", fieldType = "reference", targetSurface = "entity", targetTypeName = "team_profile" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, target.StatusCode);

        var listed = await JsonAsync(await Client.GetAsync("/v1/schemas?surface=entity"));
        Assert.Equal(["team_profile"], listed.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("typeName").GetString()));
    }

    [Fact]
    public async Task Surface_entity_merges_the_callers_context_with_the_tenant_home_newest_first()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "team-app", name = "Team app" })).StatusCode);
        var home = await CreateSchemaAsync(new { typeName = "home_profile", displayName = "Home", allowedSurfaces = new[] { "entity" } });
        await CreateSchemaAsync(new { typeName = "home_record", displayName = "Record only" });

        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(Partner.TestTenantId, "team-app", Partner.TestKey.KeyId, IsRoot: true, ["*"]);
        await grains.GetGrain<ISchemaGrain>(caller.KeyFor("team_profile"))
            .CreateAsync(caller, new SchemaDefinition { DisplayName = "Team", AllowedSurfaces = ["entity"] }, upsert: false);

        var query = grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey);
        var first = await query.ListAsync(new SchemaListQuery(null, [], "entity", null, null, 1));
        Assert.Equal(["team_profile"], first.Data.Select(v => v.TypeName));
        Assert.NotNull(first.NextCursor);
        var second = await query.ListAsync(new SchemaListQuery(null, [], "entity", null, first.NextCursor, 1));
        Assert.Equal([home.GetProperty("id").GetString()], second.Data.Select(v => v.Id.ToString()));
        Assert.Null(second.NextCursor);

        // The home itself lists only its own entity schemas.
        var fromHome = await JsonAsync(await Client.GetAsync("/v1/schemas?surface=entity"));
        Assert.Equal(["home_profile"], fromHome.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("typeName").GetString()));
    }
}
