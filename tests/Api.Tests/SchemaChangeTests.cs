using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Upsert, PUT and the locked-change rules (spec L4183–L4357, issue #3 §1).</summary>
public sealed class SchemaChangeTests : SchemaTestBase
{
    private static object Patient(params object[] extraFields) => new
    {
        typeName = "patient",
        displayName = "Patient",
        fields = new object[]
        {
            new { fieldId = "email", fieldType = "string", required = true },
            new { fieldId = "dob", fieldType = "date" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true },
            new { fieldId = "note", fieldType = "string" },
        }.Concat(extraFields),
        lookupFields = new object[] { new { fieldName = "email", unique = true }, new { fieldName = "dob", rangeEnabled = true }, "ssn" },
    };

    [Fact]
    public async Task Upsert_adds_fields_and_bumps_the_schema_version_once()
    {
        var created = await CreateAsync(Patient());
        var response = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "patient",
            displayName = "Patient v2",
            fields = new object[] { new { fieldId = "phone", fieldType = "string" } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.False(body.GetProperty("created").GetBoolean());
        Assert.Equal(created.GetProperty("id").GetString(), body.GetProperty("id").GetString());
        Assert.Equal(2, body.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("Patient v2", body.GetProperty("displayName").GetString());

        // Additive: the fields and lookups the upsert did not mention are kept.
        Assert.Equal(["email", "dob", "ssn", "note", "phone"], FieldIds(body));
        Assert.Equal(3, body.GetProperty("lookupFields").GetArrayLength());
        Assert.Equal(2, await CountSchemaVersionsAsync());

        // The same upsert again is identical content: no write, no version bump, no history row.
        var again = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "patient",
            displayName = "Patient v2",
            fields = new object[] { new { fieldId = "phone", fieldType = "string" } },
        });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var same = await JsonAsync(again);
        Assert.Equal(2, same.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(body.GetProperty("updatedAt").GetString(), same.GetProperty("updatedAt").GetString());
        Assert.Equal(2, await CountSchemaVersionsAsync());

        // Re-posting the original shape with upsert only restates what exists: still identical.
        var restated = await JsonAsync(await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "patient",
            displayName = "Patient v2",
            fields = new object[] { new { fieldId = "email", fieldType = "string", required = true } },
            lookupFields = new object[] { new { fieldName = "email", unique = true } },
        }));
        Assert.Equal(2, restated.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(2, await CountSchemaVersionsAsync());
    }

    [Fact]
    public async Task Without_upsert_an_existing_schema_is_returned_unchanged()
    {
        await CreateAsync(Patient());
        var response = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "patient", displayName = "Other", fields = new object[] { new { fieldId = "x", fieldType = "number" } } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("Patient", body.GetProperty("displayName").GetString());
        Assert.Equal(4, body.GetProperty("fields").GetArrayLength());
        Assert.Equal(1, await CountSchemaVersionsAsync());
    }

    [Theory]
    [InlineData("""{"fieldName": "email", "unique": false}""", "unique")]
    [InlineData("""{"fieldName": "dob", "rangeEnabled": false}""", "rangeEnabled")]
    [InlineData("""{"fieldName": "email", "unique": true, "sortBy": "lastUpdated"}""", "sortBy")]
    public async Task Upsert_refuses_a_locked_lookup_change(string lookup, string attribute)
    {
        await CreateAsync(Patient());
        var response = await Client.PostAsync("/v1/schemas?upsert=true", RawJson($$"""{"typeName": "patient", "displayName": "Patient", "lookupFields": [{{lookup}}]}"""));
        var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("SCHEMA_CHANGE_LOCKED", body.GetProperty("errorCode").GetString());
        Assert.EndsWith(attribute, body.GetProperty("details").GetProperty("field").GetString());
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Changing_sensitive_is_locked_for_upsert_and_put()
    {
        var created = await CreateAsync(Patient());
        var upsert = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[] { new { fieldId = "note", fieldType = "string", sensitive = true } },
        });
        var body = await ErrorAsync(upsert, HttpStatusCode.BadRequest);
        Assert.Equal("SCHEMA_CHANGE_LOCKED", body.GetProperty("errorCode").GetString());
        Assert.Contains("sensitive", body.GetProperty("message").GetString());

        var put = await Client.PutAsJsonAsync($"/v1/schemas/{created.GetProperty("id").GetString()}", new
        {
            fields = new object[]
            {
                new { fieldId = "email", fieldType = "string", required = true },
                new { fieldId = "dob", fieldType = "date" },
                new { fieldId = "ssn", fieldType = "string" },
                new { fieldId = "note", fieldType = "string" },
            },
        });
        Assert.Equal("SCHEMA_CHANGE_LOCKED", (await ErrorAsync(put, HttpStatusCode.BadRequest)).GetProperty("errorCode").GetString());
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Put_is_partial_at_the_top_level_and_replaces_collections_whole()
    {
        var created = await CreateAsync(new
        {
            typeName = "doc",
            displayName = "Doc",
            description = "first",
            indexMode = "TEXT",
            allowedSurfaces = new[] { "record", "document" },
            capabilities = new { readAccessLog = true },
            fields = new object[] { new { fieldId = "a", fieldType = "string" }, new { fieldId = "b", fieldType = "number" } },
            lookupFields = new[] { "a" },
            renderHints = new { a = new { label = "A" } },
        });
        var id = created.GetProperty("id").GetString();

        var renamed = await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "Doc 2" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var body = await JsonAsync(renamed);
        Assert.Equal("Doc 2", body.GetProperty("displayName").GetString());
        Assert.Equal("first", body.GetProperty("description").GetString());
        Assert.Equal("TEXT", body.GetProperty("indexMode").GetString());
        Assert.Equal(2, body.GetProperty("allowedSurfaces").GetArrayLength());
        Assert.Equal(["a", "b"], FieldIds(body));
        Assert.Equal(2, body.GetProperty("schemaVersion").GetInt32());
        Assert.True(body.GetProperty("capabilities").GetProperty("readAccessLog").GetBoolean());

        // Present collections replace whole: b is gone, c is new, the lookup list and hints are the new ones.
        var replaced = await Client.PutAsJsonAsync($"/v1/schemas/{id}", new
        {
            typeName = "doc",
            fields = new object[] { new { fieldId = "a", fieldType = "string" }, new { fieldId = "c", fieldType = "boolean" } },
            lookupFields = Array.Empty<object>(),
            renderHints = new { c = new { widget = "checkbox" } },
            capabilities = new { auditHistory = false },
            allowedSurfaces = new[] { "document" },
            active = false,
        });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        body = await JsonAsync(replaced);
        Assert.Equal(["a", "c"], FieldIds(body));
        Assert.Equal(0, body.GetProperty("lookupFields").GetArrayLength());
        Assert.False(body.GetProperty("renderHints").TryGetProperty("a", out _));
        Assert.Equal("checkbox", body.GetProperty("renderHints").GetProperty("c").GetProperty("widget").GetString());
        Assert.False(body.GetProperty("capabilities").GetProperty("auditHistory").GetBoolean());
        Assert.False(body.GetProperty("capabilities").GetProperty("readAccessLog").GetBoolean());
        Assert.Equal(["document"], body.GetProperty("allowedSurfaces").EnumerateArray().Select(s => s.GetString()));
        Assert.False(body.GetProperty("active").GetBoolean());
        Assert.Equal(3, body.GetProperty("schemaVersion").GetInt32());

        // An identical PUT is not an edit.
        var same = await JsonAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "Doc 2", active = false }));
        Assert.Equal(3, same.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(3, await CountSchemaVersionsAsync());

        var get = await JsonAsync(await Client.GetAsync($"/v1/schemas/{id}"));
        Assert.Equal(body.GetRawText(), get.GetRawText());
    }

    [Fact]
    public async Task Removing_a_field_drops_its_render_hint_and_restating_defaults_is_not_a_change()
    {
        var created = await CreateAsync(new
        {
            typeName = "hinted",
            displayName = "Hinted",
            fields = new object[] { new { fieldId = "a", fieldType = "string" }, new { fieldId = "b", fieldType = "string" } },
            renderHints = new { a = new { label = "A" }, b = new { label = "B" } },
        });
        var id = created.GetProperty("id").GetString();
        Assert.False(created.GetProperty("fields")[0].GetProperty("required").GetBoolean());

        var restated = await JsonAsync(await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "hinted",
            displayName = "Hinted",
            fields = new object[] { new { fieldId = "a", fieldType = "string", required = false, sensitive = false } },
            renderHints = new { },
            capabilities = new { auditHistory = true },
        }));
        Assert.Equal(1, restated.GetProperty("schemaVersion").GetInt32());

        var put = await JsonAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { fields = new object[] { new { fieldId = "a", fieldType = "string" } } }));
        Assert.Equal(2, put.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("A", put.GetProperty("renderHints").GetProperty("a").GetProperty("label").GetString());
        Assert.False(put.GetProperty("renderHints").TryGetProperty("b", out _));
    }

    [Fact]
    public async Task Put_refuses_a_different_type_name()
    {
        var created = await CreateAsync(Patient());
        var response = await Client.PutAsJsonAsync($"/v1/schemas/{created.GetProperty("id").GetString()}", new { typeName = "person", displayName = "X" });
        var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("typeName", body.GetProperty("details").GetProperty("field").GetString());
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task The_type_of_a_field_under_a_lookup_is_locked()
    {
        var created = await CreateAsync(Patient());
        var response = await Client.PutAsJsonAsync($"/v1/schemas/{created.GetProperty("id").GetString()}", new
        {
            fields = new object[]
            {
                new { fieldId = "email", fieldType = "enum", enumValues = new[] { "a" }, required = true },
                new { fieldId = "dob", fieldType = "date" },
                new { fieldId = "ssn", fieldType = "string", sensitive = true },
                new { fieldId = "note", fieldType = "string" },
            },
        });
        var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("SCHEMA_CHANGE_LOCKED", body.GetProperty("errorCode").GetString());
        Assert.Equal("fields[0].fieldType", body.GetProperty("details").GetProperty("field").GetString());
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task Without_records_a_field_type_may_change_and_a_required_field_may_be_added()
    {
        var created = await CreateAsync(Patient());
        var response = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[] { new { fieldId = "note", fieldType = "object" }, new { fieldId = "mrn", fieldType = "string", required = true } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("object", body.GetProperty("fields")[3].GetProperty("fieldType").GetString());
        Assert.Equal(2, body.GetProperty("schemaVersion").GetInt32());
        Assert.NotNull(created.GetProperty("id").GetString());
    }

    [Fact]
    public async Task With_records_type_changes_new_required_fields_and_new_lookups_are_locked()
    {
        var created = await CreateAsync(Patient());
        var id = created.GetProperty("id").GetString();
        await InsertRecordRowAsync("patient");

        foreach (var (request, field) in new (object, string)[]
                 {
                     (new { typeName = "patient", displayName = "Patient", fields = new object[] { new { fieldId = "note", fieldType = "number" } } }, "fields[0].fieldType"),
                     (new { typeName = "patient", displayName = "Patient", fields = new object[] { new { fieldId = "dob", fieldType = "date" }, new { fieldId = "mrn", fieldType = "string", required = true } } }, "fields[1].required"),
                     (new { typeName = "patient", displayName = "Patient", fields = new object[] { new { fieldId = "note", fieldType = "string", required = true } } }, "fields[0].required"),
                     (new { typeName = "patient", displayName = "Patient", lookupFields = new object[] { "note" } }, "lookupFields[0].fieldName"),
                 })
        {
            var response = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", request);
            var body = await ErrorAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("SCHEMA_CHANGE_LOCKED", body.GetProperty("errorCode").GetString());
            Assert.Equal(field, body.GetProperty("details").GetProperty("field").GetString());
        }

        await AssertUnchangedAsync();

        // Adding an optional field and relaxing a required one remain fine with live data.
        var ok = await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[] { new { fieldId = "phone", fieldType = "string" }, new { fieldId = "email", fieldType = "string", required = false } },
        });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, (await JsonAsync(ok)).GetProperty("schemaVersion").GetInt32());
        Assert.NotNull(id);
    }

    [Fact]
    public async Task Removing_a_lookup_deletes_its_index_rows_in_the_same_write()
    {
        var created = await CreateAsync(Patient());
        var recordId = Guid.CreateVersion7();
        foreach (var field in new[] { "email", "dob" })
        {
            await ExecuteAsync(
                "INSERT INTO record_lookups (tenant_id, context_id, type_name, field, value_key, record_id) VALUES ($1, 'default', 'patient', $2, 'k', $3)",
                Partner.TestTenantId, field, recordId);
        }

        var response = await Client.PutAsJsonAsync($"/v1/schemas/{created.GetProperty("id").GetString()}", new
        {
            lookupFields = new object[] { new { fieldName = "dob", rangeEnabled = true }, "ssn" },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM record_lookups WHERE tenant_id = $1 AND field = 'email'", Partner.TestTenantId));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM record_lookups WHERE tenant_id = $1 AND field = 'dob'", Partner.TestTenantId));
    }

    [Fact]
    public async Task Delete_is_refused_while_records_exist_and_then_succeeds()
    {
        var created = await CreateAsync(Patient());
        var id = created.GetProperty("id").GetString();
        await InsertRecordRowAsync("patient");

        var refused = await Client.DeleteAsync($"/v1/schemas/{id}");
        Assert.Equal("SCHEMA_IN_USE", (await ErrorAsync(refused, HttpStatusCode.Conflict)).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/schemas/{id}")).StatusCode);
        Assert.Equal(1, await CountSchemaVersionsAsync());

        await ExecuteAsync("DELETE FROM records WHERE tenant_id = $1", Partner.TestTenantId);
        var deleted = await Client.DeleteAsync($"/v1/schemas/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/schemas/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/v1/schemas/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "x" })).StatusCode);
        Assert.Equal(0, await CountSchemasAsync());
        Assert.Equal(2, await CountSchemaVersionsAsync());

        // The type name is free again: a new schema with a new id and its own history.
        var again = await CreateAsync(Patient());
        Assert.NotEqual(id, again.GetProperty("id").GetString());
        Assert.Equal(1, again.GetProperty("schemaVersion").GetInt32());
    }

    private async Task AssertUnchangedAsync()
    {
        var list = await JsonAsync(await Client.GetAsync("/v1/schemas"));
        var schema = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(1, schema.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(1, await CountSchemaVersionsAsync());
    }

    private static List<string?> FieldIds(JsonElement schema) =>
        schema.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("fieldId").GetString()).ToList();
}
