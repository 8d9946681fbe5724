using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #7 item 2: entities bound to a schema (<c>schemaId</c>, allowedSurfaces <c>entity</c>): payload validation,
/// sensitive masking, and the lookup rows behind <c>GET ?type=&amp;field=</c> and <c>POST …/lookup</c>.
/// </summary>
public sealed class EntityLookupTests : IdentityTestBase
{
    private const string Secret = "123-45-6789";

    private async Task<string> PersonSchemaAsync(string surface = "entity") =>
        Id(await CreateSchemaAsync(new
        {
            typeName = "person_v1",
            displayName = "Person",
            allowedSurfaces = new[] { surface },
            fields = new object[]
            {
                new { fieldId = "region", fieldType = "string" },
                new { fieldId = "score", fieldType = "number" },
                new { fieldId = "ssn", fieldType = "string", sensitive = true },
                new { fieldId = "email", fieldType = "string", required = true },
            },
            lookupFields = new object[]
            {
                new { fieldName = "region", rangeEnabled = true },
                new { fieldName = "score", rangeEnabled = true },
                new { fieldName = "ssn", unique = true },
                new { fieldName = "email", unique = true },
            },
        }));

    private async Task<List<JsonElement>> LookupAsync(string ns, string query)
    {
        var response = await Client.GetAsync($"/v1/entities/{ns}?type=person_v1&{query}");
        var page = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {page}");
        return Data(page).ToList();
    }

    [Fact]
    public async Task Lookup_fields_of_the_bound_schema_are_queryable_by_value_range_prefix_and_body()
    {
        var schemaId = await PersonSchemaAsync();
        await RegisterAsync(new { @namespace = "member", specificityRank = 10, entityBacked = true });
        var ann = Id(await CreateEntityAsync("member", new { externalId = "ann", schemaId, payload = new { region = "us-east", score = 10, ssn = Secret, email = "ann@x.test" } }));
        var bob = Id(await CreateEntityAsync("member", new { externalId = "bob", schemaId, payload = new { region = "us-west", score = 20, email = "bob@x.test" } }));
        var cid = Id(await CreateEntityAsync("member", new { externalId = "cid", schemaId, payload = new { region = "eu-north", score = 30, email = "cid@x.test" } }));
        Assert.Equal(10, await CountAsync("SELECT count(*) FROM entity_lookups WHERE tenant_id = $1"));

        Assert.Equal([ann], (await LookupAsync("member", "field=region&value=us-east")).Select(Id));
        Assert.Equal([ann, bob], (await LookupAsync("member", "field=region&prefix=us-")).Select(Id));
        Assert.Equal([bob, ann], (await LookupAsync("member", "field=region&prefix=us-&order=desc")).Select(Id));
        Assert.Equal([bob, cid], (await LookupAsync("member", "field=score&from=15&to=30")).Select(Id));
        Assert.Equal([cid, bob], (await LookupAsync("member", "field=score&from=15&to=30&order=desc")).Select(Id));
        Assert.Equal([ann], (await LookupAsync("member", "field=score&value=10.0")).Select(Id));

        // A range paged one by one keeps its order.
        var first = await JsonAsync(await Client.GetAsync("/v1/entities/member?type=person_v1&field=score&from=0&to=100&limit=2"));
        var next = await JsonAsync(await Client.GetAsync($"/v1/entities/member?type=person_v1&field=score&from=0&to=100&limit=2&startFrom={first.GetProperty("nextCursor").GetString()}"));
        Assert.Equal([ann, bob, cid], Data(first).Concat(Data(next)).Select(Id));

        // A sensitive value travels in a body only, and comes back masked.
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/member?type=person_v1&field=ssn&value={Secret}"), HttpStatusCode.BadRequest, "field");
        var body = await Client.PostAsJsonAsync("/v1/entities/member/lookup", new { type = "person_v1", field = "ssn", value = Secret });
        var found = Data(await JsonAsync(body)).Single();
        Assert.Equal(ann, Id(found));
        Assert.Equal("[redacted]", found.GetProperty("payload").GetProperty("ssn").GetString());
        Assert.DoesNotContain(Secret, await CountTextAsync());

        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/member/lookup", new { type = "person_v1", field = "email", value = "x", prefix = "y" }),
            HttpStatusCode.BadRequest, "value");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/member/lookup", new { field = "email", value = "x" }), HttpStatusCode.BadRequest, "type");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/member/lookup", new { type = "person_v1", field = "email", value = "x", limit = 0 }),
            HttpStatusCode.BadRequest, "limit");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/member?type=person_v1&field=email&prefix=a"), HttpStatusCode.BadRequest, "field");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/member?type=person_v1&field=nope&value=a"), HttpStatusCode.BadRequest, "field");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/member?type=ghost_v1&field=email&value=a"), HttpStatusCode.BadRequest, "type");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/member?type=person_v1&field=score&from=a&to=b"), HttpStatusCode.BadRequest, "from");
    }

    [Fact]
    public async Task Lookup_rows_follow_updates_and_deletes_and_stay_in_their_namespace()
    {
        var schemaId = await PersonSchemaAsync();
        await RegisterAsync(new { @namespace = "member", specificityRank = 10, entityBacked = true });
        await RegisterAsync(new { @namespace = "staff", specificityRank = 11, entityBacked = true });
        var ann = Id(await CreateEntityAsync("member", new { externalId = "ann", schemaId, payload = new { region = "us", email = "ann@x.test" } }));
        var staff = Id(await CreateEntityAsync("staff", new { externalId = "ann", schemaId, payload = new { region = "us", email = "ann@x.test" } }));
        Assert.Equal([ann], (await LookupAsync("member", "field=region&value=us")).Select(Id));
        Assert.Equal([staff], (await LookupAsync("staff", "field=region&value=us")).Select(Id));

        var put = await Client.PutAsJsonAsync($"/v1/entities/member/{ann}", new { payload = new { region = "eu", email = "ann@x.test" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Empty(await LookupAsync("member", "field=region&value=us"));
        Assert.Equal([ann], (await LookupAsync("member", "field=region&value=eu")).Select(Id));

        // A unique value is unique within the namespace: taken → 409 naming the field, and nothing written.
        var bob = Id(await CreateEntityAsync("member", new { externalId = "bob", schemaId, payload = new { email = "bob@x.test" } }));
        var before = await IdentityRowsAsync();
        var clash = await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/member/{bob}", new { payload = new { email = "ann@x.test" } }),
            HttpStatusCode.Conflict, errorCode: "UNIQUE_VIOLATION");
        Assert.Contains("email", clash.GetProperty("message").GetString());
        Assert.DoesNotContain("ann@x.test", clash.GetRawText());
        Assert.Equal(before, await IdentityRowsAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/entities/member/{ann}")).StatusCode);
        Assert.Empty(await LookupAsync("member", "field=region&value=eu"));
    }

    [Fact]
    public async Task The_payload_is_validated_against_the_schema_and_nothing_is_written_when_it_fails()
    {
        var schemaId = await PersonSchemaAsync();
        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/org", new { externalId = "a", schemaId, payload = new { region = "x" } }),
            HttpStatusCode.BadRequest, "payload.email");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/org", new { externalId = "a", schemaId, payload = new { email = "e", score = "high" } }),
            HttpStatusCode.BadRequest, "payload.score");
        Assert.Equal(before, await IdentityRowsAsync());

        var org = await CreateEntityAsync("org", new { externalId = "a", schemaId, payload = new { email = "e", ssn = Secret } });
        Assert.Equal(schemaId, org.GetProperty("schemaId").GetString());
        Assert.Equal(1, org.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("[redacted]", org.GetProperty("payload").GetProperty("ssn").GetString());
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM entities WHERE tenant_id = $1 AND payload::text LIKE '%{Secret}%'"));

        // The stored binding keeps validating later writes; the history never holds the sensitive value.
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/org/{Id(org)}", new { payload = new { score = 1 } }), HttpStatusCode.BadRequest, "payload.email");
        Assert.DoesNotContain(Secret, (await Client.GetStringAsync($"/v1/entities/org/{Id(org)}/versions")));
    }

    [Fact]
    public async Task A_schema_binds_entities_through_the_entity_surface_or_for_org_and_client_the_0_31_surfaces()
    {
        var recordOnly = Id(await CreateSchemaAsync(new { typeName = "rec_v1", displayName = "Rec", allowedSurfaces = new[] { "record" } }));
        var orgSurface = Id(await CreateSchemaAsync(new { typeName = "org_v1", displayName = "Org", allowedSurfaces = new[] { "org" } }));
        var entitySurface = Id(await CreateSchemaAsync(new { typeName = "ent_v1", displayName = "Ent", allowedSurfaces = new[] { "entity" } }));
        await RegisterAsync(new { @namespace = "team", specificityRank = 10, entityBacked = true });
        var before = await IdentityRowsAsync();

        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/org", new { externalId = "a", schemaId = recordOnly }), HttpStatusCode.BadRequest, "schemaId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/team", new { externalId = "a", schemaId = orgSurface }), HttpStatusCode.BadRequest, "schemaId");
        Assert.Equal(before, await IdentityRowsAsync());

        await CreateEntityAsync("org", new { externalId = "a", schemaId = orgSurface });
        await CreateEntityAsync("team", new { externalId = "a", schemaId = entitySurface });
    }

    [Fact]
    public async Task A_namespace_default_schema_binds_entities_created_without_a_schema_id()
    {
        var schemaId = await PersonSchemaAsync();
        await RegisterAsync(new { @namespace = "member", specificityRank = 10, entityBacked = true, defaultSchemaId = schemaId });
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/member", new { externalId = "a", payload = new { region = "x" } }),
            HttpStatusCode.BadRequest, "payload.email");
        var created = await CreateEntityAsync("member", new { externalId = "a", payload = new { email = "a@x.test" } });
        Assert.Equal(schemaId, created.GetProperty("schemaId").GetString());
    }

    private async Task<string> CountTextAsync()
    {
        await using var cmd = Db.CreateCommand(
            "SELECT coalesce(string_agg(payload::text, ''), '') || coalesce((SELECT string_agg(value_key, '') FROM entity_lookups WHERE tenant_id = $1), '') FROM entities WHERE tenant_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_schema_bound_by_entities_cannot_be_deleted_until_they_are_gone()
    {
        var schemaId = await PersonSchemaAsync();
        await RegisterAsync(new { @namespace = "crew", specificityRank = 11, entityBacked = true });
        var ann = Id(await CreateEntityAsync("crew", new { externalId = "ann", schemaId, payload = new { region = "us-east", score = 1, email = "a@x.test" } }));

        var refused = await Client.DeleteAsync($"/v1/schemas/{schemaId}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("SCHEMA_IN_USE", (await JsonAsync(refused)).GetProperty("errorCode").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/entities/crew/{ann}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{schemaId}")).StatusCode);
    }

    [Fact]
    public async Task Removing_a_lookup_from_the_schema_removes_its_entity_lookup_rows()
    {
        var schemaId = await PersonSchemaAsync();
        await RegisterAsync(new { @namespace = "guild", specificityRank = 12, entityBacked = true });
        await CreateEntityAsync("guild", new { externalId = "ann", schemaId, payload = new { region = "us-east", score = 1, email = "a@x.test" } });
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM entity_lookups WHERE tenant_id = $1 AND field = 'region'"));

        var put = await Client.PutAsJsonAsync($"/v1/schemas/{schemaId}", new
        {
            lookupFields = new object[] { new { fieldName = "score", rangeEnabled = true }, new { fieldName = "ssn", unique = true }, new { fieldName = "email", unique = true } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM entity_lookups WHERE tenant_id = $1 AND field = 'region'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM entity_lookups WHERE tenant_id = $1 AND field = 'score'"));
    }
}
