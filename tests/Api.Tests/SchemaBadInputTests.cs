using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #3 §9 for schemas: a 400 naming the failing path, and nothing written (no schema row, no history row).</summary>
public sealed class SchemaBadInputTests : SchemaTestBase
{
    private const string Str = """{"fieldId": "name", "fieldType": "string"}""";

    [Theory]
    [InlineData("""{"displayName": "D"}""", "typeName")]
    [InlineData("""{"typeName": "t"}""", "displayName")]
    [InlineData("""{"typeName": "t", "displayName": "   "}""", "displayName")]
    [InlineData("""{"typeName": "a b", "displayName": "D"}""", "typeName")]
    [InlineData("""{"typeName": "x#y", "displayName": "D"}""", "typeName")]
    [InlineData("""{"typeName": "1abc", "displayName": "D"}""", "typeName")]
    [InlineData("""{"typeName": "t", "displayName": 5}""", "displayName")]
    [InlineData("""{"typeName": 7, "displayName": "D"}""", "typeName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "colour": "red"}""", "colour")]
    [InlineData("""{"typeName": "t", "displayName": "D", "indexMode": "FAST"}""", "indexMode")]
    [InlineData("""{"typeName": "t", "displayName": "D", "storageProfile": "BIG"}""", "storageProfile")]
    [InlineData("""{"typeName": "t", "displayName": "D", "allowedSurfaces": []}""", "allowedSurfaces")]
    [InlineData("""{"typeName": "t", "displayName": "D", "allowedSurfaces": ["record", "wall"]}""", "allowedSurfaces[1]")]
    [InlineData("""{"typeName": "t", "displayName": "D", "allowedSurfaces": ["record", "record"]}""", "allowedSurfaces[1]")]
    [InlineData("""{"typeName": "t", "displayName": "D", "allowedSurfaces": "record"}""", "allowedSurfaces")]
    [InlineData("""{"typeName": "t", "displayName": "D", "active": "yes"}""", "active")]
    [InlineData("""{"typeName": "t", "displayName": "D", "userId": "bob"}""", "userId")]
    [InlineData("""{"typeName": "t", "displayName": "D", "capabilities": {"auditHistory": "no"}}""", "capabilities.auditHistory")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": {}}""", "fields")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [null]}""", "fields[0]")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldType": "string"}]}""", "fields[0].fieldId")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a"}]}""", "fields[0].fieldType")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "colour": 1}]}""", "fields[0].colour")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "required": "yes"}]}""", "fields[0].required")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string"}, {"fieldId": "b", "fieldType": "number"}, {"fieldId": "c", "fieldType": "text"}]}""", "fields[2].fieldType")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string"}, {"fieldId": "a", "fieldType": "number"}]}""", "fields[1].fieldId")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "first name", "fieldType": "string"}]}""", "fields[0].fieldId")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "1st", "fieldType": "string"}]}""", "fields[0].fieldId")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a.b", "fieldType": "string"}]}""", "fields[0].fieldId")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "validation": {"pattern": "([a-z"}}]}""", "fields[0].validation.pattern")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "validation": {"pattern": 5}}]}""", "fields[0].validation.pattern")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "validation": {"minLength": -1}}]}""", "fields[0].validation.minLength")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "validation": {"minLength": 1.5}}]}""", "fields[0].validation.minLength")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "validation": {"minLength": 5, "maxLength": 2}}]}""", "fields[0].validation.minLength")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "number", "validation": {"min": 5, "max": 2}}]}""", "fields[0].validation.min")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "number", "validation": {"minLength": 1}}]}""", "fields[0].validation.minLength")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "number", "validation": {"min": "1"}}]}""", "fields[0].validation.min")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "validation": {"colour": 1}}]}""", "fields[0].validation.colour")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "array", "validation": {"maxItems": "3"}}]}""", "fields[0].validation.maxItems")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "enum"}]}""", "fields[0].enumValues")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "enum", "enumValues": ["x", "x"]}]}""", "fields[0].enumValues[1]")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "enum", "enumValues": [{"v": 1}]}]}""", "fields[0].enumValues[0]")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "enumValues": ["x"]}]}""", "fields[0].enumValues")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "reference", "targetSurface": "record"}]}""", "fields[0].targetTypeName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "reference", "targetTypeName": "p"}]}""", "fields[0].targetSurface")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "reference", "targetTypeName": "p", "targetSurface": "moon"}]}""", "fields[0].targetSurface")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "reference", "targetTypeName": "p", "targetSurface": "record", "cardinality": "some"}]}""", "fields[0].cardinality")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "targetTypeName": "p"}]}""", "fields[0].targetTypeName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "a", "fieldType": "string", "sensitive": true, "searchable": true}]}""", "fields[0].searchable")]
    [InlineData("""{"typeName": "t", "displayName": "D", "lookupFields": ["email"]}""", "lookupFields[0].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": ["name", "nope"]}""", "lookupFields[1].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": [5]}""", "lookupFields[0]")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": [{"fieldName": "name", "colour": 1}]}""", "lookupFields[0].colour")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": [{"fieldName": "name", "unique": "yes"}]}""", "lookupFields[0].unique")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": [{"unique": true}]}""", "lookupFields[0].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": ["name", "name"]}""", "lookupFields[1].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "lookupFields": [{"fieldName": "name", "sortBy": "colour"}]}""", "lookupFields[0].sortBy")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "userId", "fieldType": "string"}], "lookupFields": ["userId"]}""", "lookupFields[0].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "s", "fieldType": "string", "sensitive": true}], "lookupFields": [{"fieldName": "s", "rangeEnabled": true}]}""", "lookupFields[0].rangeEnabled")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "b", "fieldType": "boolean"}], "lookupFields": [{"fieldName": "b", "rangeEnabled": true}]}""", "lookupFields[0].rangeEnabled")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "tags", "fieldType": "array"}], "lookupFields": [{"fieldName": "tags", "unique": true}]}""", "lookupFields[0].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "o", "fieldType": "object"}], "lookupFields": ["o"]}""", "lookupFields[0].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [{"fieldId": "r", "fieldType": "reference", "targetTypeName": "p", "targetSurface": "record", "cardinality": "many"}], "lookupFields": ["r"]}""", "lookupFields[0].fieldName")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "renderHints": {"nope": {"label": "x"}}}""", "renderHints.nope")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "renderHints": {"name": {"widget": "slider"}}}""", "renderHints.name.widget")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "renderHints": {"name": {"colour": "red"}}}""", "renderHints.name.colour")]
    [InlineData("""{"typeName": "t", "displayName": "D", "fields": [""" + Str + """], "renderHints": {"name": {"order": 1.5}}}""", "renderHints.name.order")]
    public async Task Bad_definitions_are_400_naming_the_path_and_write_nothing(string json, string field)
    {
        var response = await Client.PostAsync("/v1/schemas", RawJson(json));
        var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains(field, body.GetProperty("message").GetString());
        Assert.Equal(0, await CountSchemasAsync());
        Assert.Equal(0, await CountSchemaVersionsAsync());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("")]
    [InlineData("null")]
    public async Task Malformed_bodies_are_400_and_write_nothing(string json)
    {
        var response = await Client.PostAsync("/v1/schemas", RawJson(json));
        await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountSchemasAsync());
        Assert.Equal(0, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task More_than_ten_lookups_are_refused()
    {
        var names = Enumerable.Range(0, 11).Select(i => $"f{i}").ToList();
        var response = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "many",
            displayName = "Many",
            fields = names.Select(n => new { fieldId = n, fieldType = "string" }),
            lookupFields = names.Select(n => new { fieldName = n, allowOverflow = true }),
        });
        var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("lookupFields", body.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains("10", body.GetProperty("message").GetString());
        Assert.Equal(0, await CountSchemasAsync());
        Assert.Equal(0, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task The_equality_lookup_budget_is_seven_unless_overflow_is_allowed()
    {
        var names = Enumerable.Range(0, 9).Select(i => $"f{i}").ToList();
        object Request(string typeName, Func<int, object> lookup) => new
        {
            typeName,
            displayName = "Budget",
            fields = names.Select(n => new { fieldId = n, fieldType = "string" }),
            lookupFields = Enumerable.Range(0, 9).Select(lookup),
        };

        // Seven fit (DESIGN §5a: the real service's figure); the eighth needs allowOverflow.
        await CreateAsync(new
        {
            typeName = "seven",
            displayName = "Budget",
            fields = names.Select(n => new { fieldId = n, fieldType = "string" }),
            lookupFields = names.Take(7),
        });
        var over = await Client.PostAsJsonAsync("/v1/schemas", Request("budget", i => names[i]));
        var body = await ErrorAsync(over, HttpStatusCode.BadRequest);
        Assert.Equal("lookupFields[7].allowOverflow", body.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains("7", body.GetProperty("message").GetString());
        Assert.Equal(1, await CountSchemasAsync());

        // Range-enabled lookups do not use equality slots; allowOverflow opts the extra ones into the costlier index.
        await CreateAsync(Request("ranged", i => new { fieldName = names[i], rangeEnabled = i >= 7 }));
        await CreateAsync(Request("overflow", i => new { fieldName = names[i], allowOverflow = i >= 7 }));
    }

    [Fact]
    public async Task A_pattern_that_is_too_long_is_refused()
    {
        var response = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "pat",
            displayName = "P",
            fields = new[] { new { fieldId = "a", fieldType = "string", validation = new JsonObject { ["pattern"] = new string('a', 1001) } } },
        });
        await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, await CountSchemasAsync());
    }

    [Fact]
    public async Task Bad_put_bodies_are_400_and_change_nothing()
    {
        var created = await CreateAsync(new { typeName = "stable", displayName = "Stable", fields = new[] { new { fieldId = "a", fieldType = "string" } } });
        var id = created.GetProperty("id").GetString();
        foreach (var (json, field) in new[]
                 {
                     ("""{"fields": [{"fieldId": "a", "fieldType": "nope"}]}""", "fields[0].fieldType"),
                     ("""{"displayName": 3}""", "displayName"),
                     ("""{"lookupFields": ["missing"]}""", "lookupFields[0].fieldName"),
                     ("""{"allowedSurfaces": []}""", "allowedSurfaces"),
                     ("""{"colour": 1}""", "colour"),
                 })
        {
            var response = await Client.PutAsync($"/v1/schemas/{id}", RawJson(json));
            var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
        }

        var get = await JsonAsync(await Client.GetAsync($"/v1/schemas/{id}"));
        Assert.Equal(1, get.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(created.GetProperty("fields").GetRawText(), get.GetProperty("fields").GetRawText());
        Assert.Equal(1, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task Bad_list_parameters_are_400()
    {
        foreach (var (query, field) in new[]
                 {
                     ("surface=wall", "surface"),
                     ("userId=bob", "userId"),
                     ("orgId=1", "orgId"),
                     ("limit=0", "limit"),
                     ("limit=101", "limit"),
                     ("startFrom=%%%", "startFrom"),
                 })
        {
            var body = await ErrorAsync(await Client.GetAsync($"/v1/schemas?{query}"), HttpStatusCode.BadRequest);
            Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
        }
    }
}
