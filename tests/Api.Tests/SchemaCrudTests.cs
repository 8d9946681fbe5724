using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class SchemaCrudTests : SchemaTestBase
{
    [Fact]
    public async Task A_bare_schema_is_valid_and_gets_the_defaults()
    {
        var body = await CreateAsync(new { typeName = "note", displayName = "Note" });
        Assert.True(body.GetProperty("created").GetBoolean());
        Assert.True(Guid.TryParse(body.GetProperty("id").GetString(), out _));
        Assert.Equal("note", body.GetProperty("typeName").GetString());
        Assert.Equal("Note", body.GetProperty("displayName").GetString());
        Assert.Equal(["record"], body.GetProperty("allowedSurfaces").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(body.GetProperty("fields").EnumerateArray());
        Assert.Empty(body.GetProperty("lookupFields").EnumerateArray());
        Assert.True(body.GetProperty("capabilities").GetProperty("auditHistory").GetBoolean());
        Assert.False(body.GetProperty("capabilities").GetProperty("readAccessLog").GetBoolean());
        Assert.Equal("STANDARD", body.GetProperty("storageProfile").GetString());
        Assert.True(body.GetProperty("active").GetBoolean());
        Assert.Equal(1, body.GetProperty("schemaVersion").GetInt32());
        Assert.False(body.TryGetProperty("indexMode", out _), "no indexMode default unless one is given");
        Assert.Equal(body.GetProperty("createdAt").GetString(), body.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task Create_is_idempotent_by_type_name_and_get_returns_it()
    {
        var created = await CreateAsync(SpecExample());
        var id = created.GetProperty("id").GetString();
        Assert.Equal(1, await CountSchemaVersionsAsync());

        var again = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "intake_form", displayName = "Something else" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var existing = await JsonAsync(again);
        Assert.False(existing.GetProperty("created").GetBoolean());
        Assert.Equal(id, existing.GetProperty("id").GetString());
        Assert.Equal("Client Intake Form", existing.GetProperty("displayName").GetString());
        Assert.Equal(1, existing.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(1, await CountSchemaVersionsAsync());

        var get = await Client.GetAsync($"/v1/schemas/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await JsonAsync(get);
        Assert.False(body.TryGetProperty("created", out _), "created appears only on create responses");
        Assert.Equal("intake_form", body.GetProperty("typeName").GetString());
        var fields = body.GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(["first_name", "email"], fields.Select(f => f.GetProperty("fieldId").GetString()));
        Assert.True(fields[0].GetProperty("searchable").GetBoolean());
        var lookup = Assert.Single(body.GetProperty("lookupFields").EnumerateArray());
        Assert.Equal("email", lookup.GetProperty("fieldName").GetString());
        Assert.True(lookup.GetProperty("unique").GetBoolean());
        Assert.False(lookup.GetProperty("rangeEnabled").GetBoolean());
        Assert.Equal("createdAt", lookup.GetProperty("sortBy").GetString());
    }

    [Fact]
    public async Task Bare_lookup_names_are_normalised_to_lookup_objects()
    {
        var body = await CreateAsync(new
        {
            typeName = "contact",
            displayName = "Contact",
            fields = new object[] { new { fieldId = "email", fieldType = "string" }, new { fieldId = "age", fieldType = "number" } },
            lookupFields = new object[] { "email", new { fieldName = "age", rangeEnabled = true } },
        });
        var lookups = body.GetProperty("lookupFields").EnumerateArray().ToList();
        Assert.Equal("email", lookups[0].GetProperty("fieldName").GetString());
        Assert.False(lookups[0].GetProperty("unique").GetBoolean());
        Assert.False(lookups[0].GetProperty("allowOverflow").GetBoolean());
        Assert.True(lookups[1].GetProperty("rangeEnabled").GetBoolean());
    }

    [Fact]
    public async Task Every_field_type_and_option_round_trips()
    {
        var body = await CreateAsync(new
        {
            typeName = "everything",
            displayName = "Everything",
            description = "All the options",
            indexMode = "HYBRID",
            storageProfile = "LOW_LATENCY",
            allowedSurfaces = new[] { "record", "document" },
            capabilities = new { auditHistory = false, readAccessLog = true },
            fields = new object[]
            {
                new { fieldId = "name", fieldType = "string", required = true, searchable = true, validation = new { minLength = 1, maxLength = 50, pattern = "^[A-Z]" } },
                new { fieldId = "score", fieldType = "number", filterable = true, validation = new { minimum = 0, maximum = 10 } },
                new { fieldId = "ok", fieldType = "boolean" },
                new { fieldId = "born", fieldType = "date" },
                new { fieldId = "colour", fieldType = "enum", enumValues = new object[] { "red", "green" } },
                new { fieldId = "tags", fieldType = "array", validation = new { minItems = 0, maxItems = 5 } },
                new { fieldId = "extra", fieldType = "object" },
                new { fieldId = "owner", fieldType = "reference", targetTypeName = "patient", targetSurface = "record" },
                new { fieldId = "ssn", fieldType = "string", sensitive = true },
            },
            lookupFields = new object[] { new { fieldName = "ssn", unique = true }, new { fieldName = "owner" }, new { fieldName = "born", rangeEnabled = true, sortBy = "lastUpdated" } },
            renderHints = new { name = new { label = "Name", widget = "text", order = 1, section = "Main", helpText = "Legal name", displayField = true } },
        });
        Assert.Equal("HYBRID", body.GetProperty("indexMode").GetString());
        Assert.Equal("LOW_LATENCY", body.GetProperty("storageProfile").GetString());
        Assert.False(body.GetProperty("capabilities").GetProperty("auditHistory").GetBoolean());
        Assert.True(body.GetProperty("capabilities").GetProperty("readAccessLog").GetBoolean());
        var fields = body.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("fieldId").GetString()!);
        Assert.Equal("^[A-Z]", fields["name"].GetProperty("validation").GetProperty("pattern").GetString());
        Assert.Equal(10, fields["score"].GetProperty("validation").GetProperty("maximum").GetInt32());
        Assert.Equal(["red", "green"], fields["colour"].GetProperty("enumValues").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("one", fields["owner"].GetProperty("cardinality").GetString());
        Assert.Equal("externalId", fields["owner"].GetProperty("targetField").GetString());
        Assert.True(fields["ssn"].GetProperty("sensitive").GetBoolean());
        Assert.True(body.GetProperty("renderHints").GetProperty("name").GetProperty("displayField").GetBoolean());

        var get = await JsonAsync(await Client.GetAsync($"/v1/schemas/{body.GetProperty("id").GetString()}"));
        Assert.Equal(body.GetProperty("fields").GetRawText(), get.GetProperty("fields").GetRawText());
        Assert.Equal(body.GetProperty("lookupFields").GetRawText(), get.GetProperty("lookupFields").GetRawText());
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        foreach (var id in new[] { Guid.CreateVersion7().ToString(), "not-a-uuid", "1' OR '1'='1" })
        {
            var response = await Client.GetAsync($"/v1/schemas/{Uri.EscapeDataString(id)}");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("NOT_FOUND", (await JsonAsync(response)).GetProperty("errorCode").GetString());
        }
    }

    [Fact]
    public async Task Concurrent_creates_of_one_type_make_one_schema()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Client.PostAsJsonAsync("/v1/schemas", new { typeName = "racy", displayName = $"Racy {i}" })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await JsonAsync(r)).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountSchemasAsync());
        Assert.Equal(1, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task Concurrent_puts_each_bump_the_version_once()
    {
        var id = (await CreateAsync(new { typeName = "busy", displayName = "v0" })).GetProperty("id").GetString();
        var responses = await Task.WhenAll(Enumerable.Range(1, 10).Select(i =>
            Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = $"v{i}" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var versions = await Task.WhenAll(responses.Select(async r => (await JsonAsync(r)).GetProperty("schemaVersion").GetInt32()));
        Assert.Equal(Enumerable.Range(2, 10), versions.Order());
        Assert.Equal(11, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task A_grain_keyed_by_an_impossible_type_name_has_no_schema()
    {
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(Partner.TestTenantId, "default", "test", IsRoot: true, []);
        var grain = grains.GetGrain<ISchemaGrain>(caller.KeyFor("no such:type"));
        Assert.Null(await grain.GetAsync());
        var ex = await Assert.ThrowsAsync<ValidationException>(() => grain.CreateAsync(caller, new SchemaDefinition { DisplayName = "x" }, upsert: false));
        Assert.Equal("typeName", ex.Field);
        Assert.Equal(0, await CountSchemasAsync());
    }

    internal static object SpecExample() => new
    {
        typeName = "intake_form",
        displayName = "Client Intake Form",
        description = "Captures initial client information",
        fields = new object[]
        {
            new { fieldId = "first_name", fieldType = "string", required = true, searchable = true },
            new { fieldId = "email", fieldType = "string", required = true },
        },
        lookupFields = new object[] { new { fieldName = "email", unique = true } },
        capabilities = new { auditHistory = true },
    };
}
