using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>Every schema operation, over real HTTP, for each status it produces, against the spec's schemas.</summary>
public sealed class SchemaContractTests : ApiTestBase
{
    private static readonly object _full = new
    {
        typeName = "intake_form",
        displayName = "Client Intake Form",
        description = "Captures initial client information",
        indexMode = "HYBRID",
        storageProfile = "STANDARD",
        allowedSurfaces = new[] { "record", "document" },
        capabilities = new { auditHistory = true, readAccessLog = false },
        fields = new object[]
        {
            new { fieldId = "first_name", fieldType = "string", required = true, searchable = true, validation = new { minLength = 1, pattern = "^[A-Za-z]" } },
            new { fieldId = "email", fieldType = "string", required = true },
            new { fieldId = "age", fieldType = "number", filterable = true, validation = new { min = 0, max = 150 } },
            new { fieldId = "colour", fieldType = "enum", enumValues = new[] { "red", "green" } },
            new { fieldId = "tags", fieldType = "array" },
            new { fieldId = "patient", fieldType = "reference", targetTypeName = "patient", targetSurface = "record" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true },
        },
        lookupFields = new object[] { new { fieldName = "email", unique = true }, new { fieldName = "age", rangeEnabled = true }, "ssn" },
        renderHints = new { first_name = new { label = "First Name", widget = "text", order = 1, section = "Personal", helpText = "Legal name", displayField = true } },
    };

    [SpecFact]
    public async Task Schema_operations()
    {
        var created = await Client.PostAsJsonAsync("/v1/schemas", _full);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString();
        created = await Client.PostAsJsonAsync("/v1/schemas", _full);
        await ContractAssert.MatchesResponseAsync("createSchema", created);
        await ContractAssert.MatchesResponseAsync("createSchema", await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "bare", displayName = "Bare" }));
        await ContractAssert.MatchesResponseAsync("createSchema",
            await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new { typeName = "bare", displayName = "Bare 2", fields = new[] { new { fieldId = "x", fieldType = "boolean" } } }));
        await ContractAssert.MatchesResponseAsync("createSchema", await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "bad", displayName = "B", indexMode = "FAST" }));
        await ContractAssert.MatchesResponseAsync("createSchema",
            await Client.PostAsJsonAsync("/v1/schemas?upsert=true", new { typeName = "intake_form", displayName = "X", lookupFields = new[] { new { fieldName = "email", unique = false } } }));

        await ContractAssert.MatchesResponseAsync("listSchemas", await Client.GetAsync("/v1/schemas?limit=1"));
        await ContractAssert.MatchesResponseAsync("listSchemas", await Client.GetAsync("/v1/schemas?recordType=intake_form&surface=document"));
        await ContractAssert.MatchesResponseAsync("listSchemas", await Client.GetAsync("/v1/schemas?recordType=nothing"));

        await ContractAssert.MatchesResponseAsync("getSchema", await Client.GetAsync($"/v1/schemas/{id}"));
        await ContractAssert.MatchesResponseAsync("getSchema", await Client.GetAsync($"/v1/schemas/{Guid.CreateVersion7()}"));

        await ContractAssert.MatchesResponseAsync("updateSchema", await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { displayName = "Renamed", lookupFields = new[] { "email" } }));
        await ContractAssert.MatchesResponseAsync("updateSchema", await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { typeName = "other" }));
        await ContractAssert.MatchesResponseAsync("updateSchema", await Client.PutAsJsonAsync($"/v1/schemas/{Guid.CreateVersion7()}", new { displayName = "x" }));

        var db = Server.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var insert = db.CreateCommand(
            "INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, created_by) VALUES ($1, 'default', $2, 'intake_form', '{}'::jsonb, 'test')"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
            insert.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            await insert.ExecuteNonQueryAsync();
        }

        await ContractAssert.MatchesResponseAsync("deleteSchema", await Client.DeleteAsync($"/v1/schemas/{id}"));
        await using (var purge = db.CreateCommand("DELETE FROM records WHERE tenant_id = $1"))
        {
            purge.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
            await purge.ExecuteNonQueryAsync();
        }

        await ContractAssert.MatchesResponseAsync("deleteSchema", await Client.DeleteAsync($"/v1/schemas/{id}"));
        await ContractAssert.MatchesResponseAsync("deleteSchema", await Client.DeleteAsync($"/v1/schemas/{id}"));

        await ContractAssert.MatchesResponseAsync("getSchemaVersions", await Client.GetAsync($"/v1/schemas/{id}/versions"));
        await ContractAssert.MatchesResponseAsync("getSchemaVersions", await Client.GetAsync($"/v1/schemas/{Guid.CreateVersion7()}/versions"));
    }
}
