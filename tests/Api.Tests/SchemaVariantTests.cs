using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// basedOn variants (issue #7 item 5, API-DELTA-0.40 §5, SDK CHANGELOG 0.37.0): the first schema of a type name is
/// its base; other owners' schemas of the name name the base, and records, lookups and recordType resolve by owner.
/// </summary>
public sealed class SchemaVariantTests : RecordTestBase
{
    private static string? BasedOn(JsonElement schema) =>
        schema.TryGetProperty("basedOn", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;

    private static object Field(string id, bool required = false) => new { fieldId = id, fieldType = "string", required };

    private async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {status}, got {response.StatusCode}: {body}");
        if (field.Length > 0)
        {
            Assert.Contains(field, body.ToString(), StringComparison.Ordinal);
        }

        return body;
    }

    /// <summary>A base "note" (field title) and a variant for <paramref name="user"/> that also requires "priority".</summary>
    private async Task<(JsonElement Base, JsonElement Variant)> BaseAndUserVariantAsync(string type, Guid user)
    {
        var baseSchema = await CreateSchemaAsync(new { typeName = type, displayName = "Note", fields = new[] { Field("title", required: true) } });
        var variant = await CreateSchemaAsync(new
        {
            typeName = type,
            displayName = "Note (mine)",
            userId = user,
            basedOn = Id(baseSchema),
            fields = new[] { Field("title", required: true), Field("priority", required: true) },
            lookupFields = new[] { "priority" },
        });
        return (baseSchema, variant);
    }

    [Fact]
    public async Task A_variant_names_its_base_and_both_are_returned_with_basedOn()
    {
        var user = Guid.NewGuid();
        var (baseSchema, variant) = await BaseAndUserVariantAsync("note", user);
        Assert.Null(BasedOn(baseSchema));
        Assert.Equal(Id(baseSchema), BasedOn(variant));
        Assert.NotEqual(Id(baseSchema), Id(variant));

        var got = await JsonAsync(await Client.GetAsync($"/v1/schemas/{Id(variant)}"));
        Assert.Equal(Id(baseSchema), BasedOn(got));
        Assert.Equal("note", got.GetProperty("typeName").GetString());

        // Idempotent create stays per owner: the same owner's POST answers its own schema.
        var again = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "note", displayName = "x", userId = user, basedOn = Id(baseSchema) });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Id(variant), Id(await JsonAsync(again)));
        var baseAgain = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "note", displayName = "x" });
        Assert.Equal(HttpStatusCode.OK, baseAgain.StatusCode);
        Assert.Equal(Id(baseSchema), Id(await JsonAsync(baseAgain)));

        // Both are listed (type name, then id), and pages of one resume correctly.
        var first = await JsonAsync(await Client.GetAsync("/v1/schemas?limit=1"));
        var second = await JsonAsync(await Client.GetAsync($"/v1/schemas?limit=1&startFrom={first.GetProperty("nextCursor").GetString()}"));
        var ids = new[] { first, second }.SelectMany(p => p.GetProperty("data").EnumerateArray()).Select(Id).ToHashSet();
        Assert.Equal(new HashSet<string> { Id(baseSchema), Id(variant) }, ids);
    }

    [Fact]
    public async Task A_second_owner_must_name_the_base_directly()
    {
        var baseSchema = await CreateSchemaAsync(new { typeName = "memo", displayName = "Memo" });
        var other = await CreateSchemaAsync(new { typeName = "other", displayName = "Other" });

        await ErrorAsync(await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "memo", displayName = "M", userId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, "basedOn");
        await ErrorAsync(await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "memo", displayName = "M", userId = Guid.NewGuid(), basedOn = Id(other) }),
            HttpStatusCode.BadRequest, "basedOn");
        await ErrorAsync(await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "memo", displayName = "M", userId = Guid.NewGuid(), basedOn = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, "basedOn");
        await ErrorAsync(await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "fresh", displayName = "F", basedOn = Id(baseSchema) }),
            HttpStatusCode.BadRequest, "basedOn");

        var variant = await CreateSchemaAsync(new { typeName = "memo", displayName = "M", userId = Guid.NewGuid(), basedOn = Id(baseSchema) });

        // One hop: a variant cannot be the base of another.
        await ErrorAsync(await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "memo", displayName = "M", userId = Guid.NewGuid(), basedOn = Id(variant) }),
            HttpStatusCode.BadRequest, "basedOn");
        Assert.Equal(3, await ScalarAsync("SELECT count(*) FROM schemas WHERE tenant_id = $1", Partner.TestTenantId));
    }

    [Fact]
    public async Task Records_are_validated_read_and_patched_under_the_schema_their_owner_resolves()
    {
        var user = Guid.NewGuid();
        var (baseSchema, variant) = await BaseAndUserVariantAsync("task", user);

        // The variant requires priority; the base does not.
        var missing = await Client.PostAsJsonAsync("/v1/records", new { typeName = "task", userId = user, payload = new { title = "a" } });
        await ErrorAsync(missing, HttpStatusCode.BadRequest, "priority");
        var mine = await CreateRecordAsync(new { typeName = "task", userId = user, payload = new { title = "a", priority = "high" } });
        Assert.Equal(Id(variant), mine.GetProperty("schemaId").GetString());
        var shared = await CreateRecordAsync(new { typeName = "task", payload = new { title = "b" } });
        Assert.Equal(Id(baseSchema), shared.GetProperty("schemaId").GetString());
        var otherUser = await CreateRecordAsync(new { typeName = "task", userId = Guid.NewGuid(), payload = new { title = "c" } });
        Assert.Equal(Id(baseSchema), otherUser.GetProperty("schemaId").GetString());

        // Reads and updates keep the schema the record was written under.
        var got = await JsonAsync(await Client.GetAsync($"/v1/records/{Id(mine)}"));
        Assert.Equal(Id(variant), got.GetProperty("schemaId").GetString());
        var patch = await PatchAsync(Client, $"/v1/records/{Id(mine)}", new { payload = new { priority = (string?)null } });
        await ErrorAsync(patch, HttpStatusCode.BadRequest, "priority");
        var ok = await PatchAsync(Client, $"/v1/records/{Id(mine)}", new { payload = new { priority = "low" } });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(Id(variant), (await JsonAsync(ok)).GetProperty("schemaId").GetString());
        var sharedPatch = await PatchAsync(Client, $"/v1/records/{Id(shared)}", new { payload = new { title = "b2" } });
        Assert.Equal(HttpStatusCode.OK, sharedPatch.StatusCode);

        // Lookups: the variant's lookup applies with its owner's selector (root only); the base has none.
        await ErrorAsync(await Client.GetAsync("/v1/records/lookup?type=task&field=priority&value=low"), HttpStatusCode.BadRequest, "priority");
        var found = await JsonAsync(await Client.GetAsync($"/v1/records/lookup?type=task&field=priority&value=low&userId={user}"));
        Assert.Equal([Id(mine)], found.GetProperty("data").EnumerateArray().Select(Id));
        var byBody = await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "task", field = "priority", value = "low", userId = user.ToString() });
        Assert.Equal([Id(mine)], (await JsonAsync(byBody)).GetProperty("data").EnumerateArray().Select(Id));
    }

    [Fact]
    public async Task RecordType_resolves_by_the_selectors_and_scope_variants_rank_by_namespace()
    {
        var user = Guid.NewGuid();
        var (baseSchema, userVariant) = await BaseAndUserVariantAsync("card", user);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "team", specificityRank = 5000 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "region", specificityRank = 3000 })).StatusCode);
        var team = await CreateSchemaAsync(new { typeName = "card", displayName = "Team", scopes = new[] { "team:blue" }, basedOn = Id(baseSchema) });
        var region = await CreateSchemaAsync(new { typeName = "card", displayName = "Region", scopes = new[] { "region:eu" }, basedOn = Id(baseSchema) });

        async Task<string> ResolveAsync(string query)
        {
            var page = await JsonAsync(await Client.GetAsync($"/v1/schemas?recordType=card{query}"));
            return Assert.Single(page.GetProperty("data").EnumerateArray().Select(Id));
        }

        Assert.Equal(Id(baseSchema), await ResolveAsync(""));
        Assert.Equal(Id(userVariant), await ResolveAsync($"&userId={user}"));
        Assert.Equal(Id(team), await ResolveAsync("&scope=team:blue"));
        Assert.Equal(Id(region), await ResolveAsync("&scope=region:eu"));
        Assert.Equal(Id(baseSchema), await ResolveAsync("&scope=team:red"));
        Assert.Equal(Id(baseSchema), await ResolveAsync($"&userId={Guid.NewGuid()}"));

        // A record holding both scopes gets the higher-ranked namespace's variant; a userId variant beats both.
        var both = await CreateRecordAsync(new { typeName = "card", scopes = new[] { "region:eu", "team:blue" }, payload = new { } });
        Assert.Equal(Id(team), both.GetProperty("schemaId").GetString());
        var all = await CreateRecordAsync(new { typeName = "card", userId = user, scopes = new[] { "region:eu", "team:blue" }, payload = new { title = "t", priority = "p" } });
        Assert.Equal(Id(userVariant), all.GetProperty("schemaId").GetString());
    }

    [Fact]
    public async Task A_base_with_variants_cannot_be_deleted_and_basedOn_is_immutable()
    {
        var (baseSchema, variant) = await BaseAndUserVariantAsync("doc", Guid.NewGuid());
        var other = await CreateSchemaAsync(new { typeName = "doc2", displayName = "Doc2" });

        var put = await Client.PutAsJsonAsync($"/v1/schemas/{Id(variant)}", new { basedOn = Id(other) });
        await ErrorAsync(put, HttpStatusCode.BadRequest, "basedOn");
        put = await Client.PutAsJsonAsync($"/v1/schemas/{Id(baseSchema)}", new { basedOn = Id(variant) });
        await ErrorAsync(put, HttpStatusCode.BadRequest, "basedOn");
        put = await Client.PutAsJsonAsync($"/v1/schemas/{Id(variant)}", new { displayName = "Renamed", basedOn = Id(baseSchema) });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(Id(baseSchema), BasedOn(await JsonAsync(put)));

        var refused = await Client.DeleteAsync($"/v1/schemas/{Id(baseSchema)}");
        var body = await ErrorAsync(refused, HttpStatusCode.Conflict, "");
        Assert.Equal("SCHEMA_IN_USE", body.GetProperty("errorCode").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{Id(variant)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{Id(baseSchema)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/schemas/{Id(variant)}")).StatusCode);
    }

    [Fact]
    public async Task A_variant_with_records_cannot_be_deleted()
    {
        var user = Guid.NewGuid();
        var (_, variant) = await BaseAndUserVariantAsync("log", user);
        var record = await CreateRecordAsync(new { typeName = "log", userId = user, payload = new { title = "a", priority = "p" } });
        await ErrorAsync(await Client.DeleteAsync($"/v1/schemas/{Id(variant)}"), HttpStatusCode.Conflict, "SCHEMA_IN_USE");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/records/{Id(record)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/schemas/{Id(variant)}")).StatusCode);
    }

    [Fact]
    public async Task A_0_31_owned_first_schema_is_the_base_of_its_owner()
    {
        var org = await CreateOrgAsync();
        var owned = await CreateSchemaAsync(new { typeName = "invoice", displayName = "Invoice", orgId = org });
        Assert.Null(BasedOn(owned));

        // Its owner's POST is the idempotent create; the shared form of the type is then a variant of it.
        var again = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "invoice", displayName = "Invoice", orgId = org });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(Id(owned), Id(await JsonAsync(again)));
        await ErrorAsync(await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "invoice", displayName = "Shared" }), HttpStatusCode.BadRequest, "basedOn");

        var record = await CreateRecordAsync(new { typeName = "invoice", orgId = org, payload = new { } });
        Assert.Equal(Id(owned), record.GetProperty("schemaId").GetString());
    }
}
