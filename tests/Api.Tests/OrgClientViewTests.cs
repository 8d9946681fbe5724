using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #7 item 3: the 0.31 <c>/v1/orgs*</c> and <c>/v1/clients*</c> routes are views of the entities of the
/// <c>org</c> and <c>client</c> namespaces (DESIGN §5a).
/// </summary>
public sealed class OrgClientViewTests : IdentityTestBase
{
    [Fact]
    public async Task An_org_made_through_either_surface_is_the_same_entity()
    {
        var viaOrgs = await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "clinic_001", name = "Downtown Clinic", payload = new { region = "ne" } });
        Assert.Equal(HttpStatusCode.Created, viaOrgs.StatusCode);
        var org = await JsonAsync(viaOrgs);
        Assert.True(org.GetProperty("created").GetBoolean());
        Assert.Equal($"/v1/orgs/{Id(org)}", viaOrgs.Headers.Location!.OriginalString);

        var asEntity = await JsonAsync(await Client.GetAsync($"/v1/entities/org/{Id(org)}"));
        Assert.Equal("Downtown Clinic", asEntity.GetProperty("name").GetString());
        Assert.Equal("clinic_001", asEntity.GetProperty("externalId").GetString());

        // The other way round, and the idempotent create sees entities made at /v1/entities/org.
        var entity = await CreateEntityAsync("org", new { externalId = "clinic_002", name = "Uptown" });
        var seen = await JsonAsync(await Client.GetAsync($"/v1/orgs/{Id(entity)}"));
        Assert.Equal("Uptown", seen.GetProperty("name").GetString());
        Assert.Equal("org", seen.GetProperty("namespace").GetString());
        var again = await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "clinic_002" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Id(entity), Id(await JsonAsync(again)));

        var list = await JsonAsync(await Client.GetAsync("/v1/orgs"));
        Assert.Equal([Id(org), Id(entity)], Data(list).Select(Id));
        Assert.Equal([Id(org)], Data(await JsonAsync(await Client.GetAsync("/v1/orgs?externalId=clinic_001"))).Select(Id));
    }

    [Fact]
    public async Task Org_put_upsert_delete_and_versions_go_through_the_entity()
    {
        var id = Id(await JsonAsync(await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "o", name = "Before", payload = new { a = 1 } })));
        var put = await JsonAsync(await Client.PutAsJsonAsync($"/v1/orgs/{id}", new { externalId = "o", payload = new { b = 2 } }));
        Assert.Equal("Before", put.GetProperty("name").GetString());
        Assert.Equal("""{"b":2}""", put.GetProperty("payload").GetRawText());
        Assert.False(put.TryGetProperty("created", out _));

        var upsert = await Client.PostAsJsonAsync("/v1/orgs?upsert=true", new { externalId = "o", name = "After" });
        Assert.Equal(HttpStatusCode.OK, upsert.StatusCode);
        Assert.Equal("After", (await JsonAsync(await Client.GetAsync($"/v1/entities/org/{id}"))).GetProperty("name").GetString());

        var versions = await JsonAsync(await Client.GetAsync($"/v1/orgs/{id}/versions"));
        Assert.Equal(["UPDATE", "UPDATE", "CREATE"], Data(versions).Select(v => v.GetProperty("changeType").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/orgs/{id}")).StatusCode);
        await AssertErrorAsync(await Client.GetAsync($"/v1/orgs/{id}"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/org/{id}"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync($"/v1/orgs/{Guid.CreateVersion7()}/versions"), HttpStatusCode.NotFound);

        // A client id is not an org id.
        var client = Id(await CreateEntityAsync("client", new { externalId = "c" }));
        await AssertErrorAsync(await Client.GetAsync($"/v1/orgs/{client}"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_client_s_org_id_is_its_org_parent_and_must_name_an_existing_org()
    {
        var org = Id(await CreateEntityAsync("org", new { externalId = "acme" }));
        var other = Id(await CreateEntityAsync("org", new { externalId = "globex" }));
        var created = await Client.PostAsJsonAsync("/v1/clients", new { externalId = "patient_789", name = "Jane", orgId = org });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var client = await JsonAsync(created);
        Assert.Equal(org, client.GetProperty("orgId").GetString());
        Assert.Equal([$"org:{org}"], client.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var asEntity = await JsonAsync(await Client.GetAsync($"/v1/entities/client/{Id(client)}"));
        Assert.Equal([$"org:{org}"], asEntity.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // Listing by orgId is listing by the parent scope; the 0.40 form is accepted on input too.
        var viaScopes = await JsonAsync(await Client.PostAsJsonAsync("/v1/clients", new { externalId = "p2", scopes = new[] { $"org:{other}", "ward:north" } }));
        Assert.Equal(other, viaScopes.GetProperty("orgId").GetString());
        Assert.Equal([Id(client)], Data(await JsonAsync(await Client.GetAsync($"/v1/clients?orgId={org}"))).Select(Id));
        Assert.Equal([Id(viaScopes)], Data(await JsonAsync(await Client.GetAsync($"/v1/entities/client?scope=org:{other}"))).Select(Id));

        // PUT with orgId moves the client and keeps its other parents.
        var moved = await JsonAsync(await Client.PutAsJsonAsync($"/v1/clients/{Id(viaScopes)}", new { orgId = org }));
        Assert.Equal(org, moved.GetProperty("orgId").GetString());
        Assert.Equal([$"org:{org}", "ward:north"], moved.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/clients", new { externalId = "p3", orgId = Guid.CreateVersion7() }), HttpStatusCode.BadRequest, "orgId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/clients", new { externalId = "p3", orgId = "nope" }), HttpStatusCode.BadRequest, "orgId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/clients", new { externalId = "p3", orgId = Id(client) }), HttpStatusCode.BadRequest, "orgId");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/clients/{Id(client)}", new { orgId = Guid.CreateVersion7() }), HttpStatusCode.BadRequest, "orgId");
        await AssertErrorAsync(await Client.GetAsync("/v1/clients?orgId=nope"), HttpStatusCode.BadRequest, "orgId");
        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task Lookups_through_the_views_use_the_entity_lookup_rows()
    {
        var schemaId = Id(await CreateSchemaAsync(new
        {
            typeName = "org_v1",
            displayName = "Org",
            allowedSurfaces = new[] { "org" },
            fields = new object[] { new { fieldId = "region", fieldType = "string" } },
            lookupFields = new object[] { new { fieldName = "region", rangeEnabled = true } },
        }));
        var east = Id(await JsonAsync(await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "e", schemaId, payload = new { region = "us-east" } })));
        await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "w", schemaId, payload = new { region = "us-west" } });

        Assert.Equal([east], Data(await JsonAsync(await Client.GetAsync("/v1/orgs?type=org_v1&field=region&value=us-east"))).Select(Id));
        var body = await JsonAsync(await Client.PostAsJsonAsync("/v1/orgs/lookup", new { type = "org_v1", field = "region", prefix = "us-", order = "desc" }));
        Assert.Equal(2, Data(body).Count());
        Assert.Equal(east, Id(Data(body).Last()));
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/orgs/lookup", new { type = "org_v1", field = "region" }), HttpStatusCode.BadRequest, "value");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/clients/lookup", new { type = "org_v1" }), HttpStatusCode.BadRequest, "field");
        Assert.Empty(Data(await JsonAsync(await Client.GetAsync("/v1/entities/client?type=org_v1&field=region&value=us-east"))));
    }

    [Fact]
    public async Task With_the_namespace_deleted_the_views_answer_400_naming_it()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/namespaces/org")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/namespaces/client")).StatusCode);
        var before = await IdentityRowsAsync();
        foreach (var (route, ns) in new[] { ("/v1/orgs", "org"), ("/v1/clients", "client") })
        {
            foreach (var response in new[]
            {
                await Client.GetAsync(route),
                await Client.PostAsJsonAsync(route, new { externalId = "x" }),
                await Client.GetAsync($"{route}/{Guid.CreateVersion7()}"),
                await Client.PutAsJsonAsync($"{route}/{Guid.CreateVersion7()}", new { name = "x" }),
                await Client.DeleteAsync($"{route}/{Guid.CreateVersion7()}"),
                await Client.GetAsync($"{route}/{Guid.CreateVersion7()}/versions"),
                await Client.PostAsJsonAsync($"{route}/lookup", new { type = "t", field = "f", value = "v" }),
            })
            {
                var body = await AssertErrorAsync(response, HttpStatusCode.BadRequest, "namespace");
                Assert.Contains($"'{ns}'", body.GetProperty("message").GetString());
            }
        }

        Assert.Equal(before, await IdentityRowsAsync());

        // Registering it again brings the views back.
        await RegisterAsync(new { @namespace = "org", specificityRank = 1000, entityBacked = true });
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "x" })).StatusCode);
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "/v1/orgs", """{"name": "no external id"}""", "externalId" },
        { "/v1/orgs", """{"externalId": "x", "status": "CLOSED"}""", "status" },
        { "/v1/orgs", """{"externalId": "x", "orgId": "y"}""", "$.orgId" },
        { "/v1/orgs", """{"externalId": "x", "payload": 3}""", "$.payload" },
        { "/v1/clients", """{"externalId": "x", "clientId": "y"}""", "$.clientId" },
        { "/v1/clients", """{"externalId": "x", "schemaId": "not-a-uuid"}""", "schemaId" },
        { "/v1/clients", """{"externalId": ["x"]}""", "$.externalId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_are_400_naming_the_field_and_write_nothing(string route, string json, string field)
    {
        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PostAsync(route, RawJson(json)), HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task Another_tenant_and_the_live_environment_get_404_for_these_orgs_and_clients()
    {
        var org = Id(await JsonAsync(await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "acme", name = "Acme" })));
        var client = Id(await JsonAsync(await Client.PostAsJsonAsync("/v1/clients", new { externalId = "jane", orgId = org })));
        var stranger = await Server.CreatePartnerAsync("Stranger");
        foreach (var key in new[] { stranger.TestKey.RawKey, Partner.LiveKey.RawKey })
        {
            using var other = Server.CreateClient(key);
            foreach (var response in new[]
            {
                await other.GetAsync($"/v1/orgs/{org}"),
                await other.PutAsJsonAsync($"/v1/orgs/{org}", new { name = "x" }),
                await other.DeleteAsync($"/v1/orgs/{org}"),
                await other.GetAsync($"/v1/orgs/{org}/versions"),
                await other.GetAsync($"/v1/clients/{client}"),
                await other.DeleteAsync($"/v1/clients/{client}"),
            })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            Assert.Empty(Data(await JsonAsync(await other.GetAsync("/v1/orgs"))));
            Assert.Empty(Data(await JsonAsync(await other.GetAsync($"/v1/clients?orgId={org}"))));
            await AssertErrorAsync(await other.PostAsJsonAsync("/v1/clients", new { externalId = "x", orgId = org }), HttpStatusCode.BadRequest, "orgId");
        }

        Assert.Equal("Acme", (await JsonAsync(await Client.GetAsync($"/v1/orgs/{org}"))).GetProperty("name").GetString());
        Assert.Equal(org, (await JsonAsync(await Client.GetAsync($"/v1/clients/{client}"))).GetProperty("orgId").GetString());
    }
}
