using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>Every record operation, over real HTTP, for each status it produces, against the spec's schemas.</summary>
public sealed class RecordContractTests : ApiTestBase
{
    private async Task SchemasAsync()
    {
        var intake = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "intake_form",
            displayName = "Intake form",
            indexMode = "HYBRID",
            fields = new object[]
            {
                new { fieldId = "first_name", fieldType = "string", required = true },
                new { fieldId = "email", fieldType = "string" },
                new { fieldId = "age", fieldType = "number" },
                new { fieldId = "ssn", fieldType = "string", sensitive = true },
            },
            lookupFields = new object[] { new { fieldName = "email", unique = true }, new { fieldName = "age", rangeEnabled = true }, "ssn" },
        });
        intake.EnsureSuccessStatusCode();
        var quiet = await Client.PostAsJsonAsync("/v1/schemas", new { typeName = "quiet", displayName = "Quiet", capabilities = new { auditHistory = false } });
        quiet.EnsureSuccessStatusCode();
    }

    private static async Task<string> IdOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("id").GetString()!;
    }

    [SpecFact]
    public async Task Record_write_operations()
    {
        await SchemasAsync();
        var folder = Guid.CreateVersion7();
        await using (var cmd = Server.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "INSERT INTO folders (tenant_id, context_id, folder_id, parent_id, name, slug, depth) VALUES ($1, 'default', $2, $3, 'F', $4, 1)"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Partner.TestTenantId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = folder });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = "f-" + folder.ToString("N") });
            await cmd.ExecuteNonQueryAsync();
        }

        var (org, client) = (await CreateOrgAsync(), await CreateClientAsync());
        var full = new
        {
            typeName = "intake_form",
            payload = new { first_name = "Jane", email = "jane@example.com", age = 41, ssn = "123-45-6789" },
            status = "ACTIVE",
            folderId = folder,
            userId = Guid.NewGuid(),
            orgId = org,
            clientId = client,
            externalId = "intake-2024-0042",
        };
        var created = await Client.PostAsJsonAsync("/v1/records", full);
        var id = await IdOf(created);
        await ContractAssert.MatchesResponseAsync("createRecord", created);
        await ContractAssert.MatchesResponseAsync("createRecord", await Client.PostAsJsonAsync("/v1/records", full));
        await ContractAssert.MatchesResponseAsync("createRecord", await Client.PostAsJsonAsync("/v1/records?upsert=true", full with { status = "ARCHIVED" }));
        await ContractAssert.MatchesResponseAsync("createRecord", await Client.PostAsJsonAsync("/v1/records", new { typeName = "quiet", indexMode = "NONE" }));
        await ContractAssert.MatchesResponseAsync("createRecord", await Client.PostAsJsonAsync("/v1/records", new { typeName = "intake_form", payload = new { age = 1 } }));
        await ContractAssert.MatchesResponseAsync("createRecord", await Client.PostAsJsonAsync("/v1/records", new { typeName = "ghost" }));

        await ContractAssert.MatchesResponseAsync("updateRecord",
            await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { first_name = "Janet", email = "jane@example.com" }, expectedVersion = 2 }));
        await ContractAssert.MatchesResponseAsync("updateRecord", await Client.PutAsJsonAsync($"/v1/records/{id}", new { status = "ARCHIVED", expectedVersion = 1 }));
        await ContractAssert.MatchesResponseAsync("updateRecord", await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { age = 3 } }));
        await ContractAssert.MatchesResponseAsync("updateRecord", await Client.PutAsJsonAsync($"/v1/records/{Guid.CreateVersion7()}", new { status = "ARCHIVED" }));

        await ContractAssert.MatchesResponseAsync("patchRecord", await Client.PatchAsync($"/v1/records/{id}", JsonContent.Create(new { payload = new { age = (int?)null, email = "j@example.com" } })));
        await ContractAssert.MatchesResponseAsync("patchRecord", await Client.PatchAsync($"/v1/records/{id}", JsonContent.Create(new { status = "ACTIVE", expectedVersion = 1 })));
        await ContractAssert.MatchesResponseAsync("patchRecord", await Client.PatchAsync($"/v1/records/{id}", JsonContent.Create(new { typeName = "x" })));
        await ContractAssert.MatchesResponseAsync("patchRecord", await Client.PatchAsync($"/v1/records/{Guid.CreateVersion7()}", JsonContent.Create(new { status = "ARCHIVED" })));

        await ContractAssert.MatchesResponseAsync("getRecordVersions", await Client.GetAsync($"/v1/records/{id}/versions"));
        await ContractAssert.MatchesResponseAsync("getRecordVersions", await Client.GetAsync($"/v1/records/{Guid.CreateVersion7()}/versions"));
        var quiet = await IdOf(await Client.PostAsJsonAsync("/v1/records", new { typeName = "quiet" }));
        await ContractAssert.MatchesResponseAsync("getRecordVersions", await Client.GetAsync($"/v1/records/{quiet}/versions"));

        await ContractAssert.MatchesResponseAsync("getRecordTombstone", await Client.GetAsync($"/v1/records/{id}/tombstone"));
        await ContractAssert.MatchesResponseAsync("deleteRecord", await Client.DeleteAsync($"/v1/records/{id}"));
        await ContractAssert.MatchesResponseAsync("deleteRecord", await Client.DeleteAsync($"/v1/records/{id}"));
        await ContractAssert.MatchesResponseAsync("getRecordTombstone", await Client.GetAsync($"/v1/records/{id}/tombstone"));
        await ContractAssert.MatchesResponseAsync("getRecordVersions", await Client.GetAsync($"/v1/records/{id}/versions"));
    }

    [SpecFact]
    public async Task Record_read_operations()
    {
        await SchemasAsync();
        string? first = null;
        for (var i = 0; i < 3; i++)
        {
            var id = await IdOf(await Client.PostAsJsonAsync("/v1/records", new
            {
                typeName = "intake_form",
                payload = new { first_name = $"n{i}", email = $"e{i}@example.com", age = 30 + i, ssn = $"00{i}" },
            }));
            first ??= id;
        }

        await ContractAssert.MatchesResponseAsync("getRecord", await Client.GetAsync($"/v1/records/{first}"));
        await ContractAssert.MatchesResponseAsync("getRecord", await Client.GetAsync($"/v1/records/{Guid.CreateVersion7()}"));
        await ContractAssert.MatchesResponseAsync("getRecord", await Client.GetAsync("/v1/records/not-a-uuid"));

        await ContractAssert.MatchesResponseAsync("listRecords", await Client.GetAsync("/v1/records?type=intake_form&limit=2"));
        await ContractAssert.MatchesResponseAsync("listRecords", await Client.GetAsync("/v1/records?type=intake_form&includePayload=true"));
        await ContractAssert.MatchesResponseAsync("listRecords", await Client.GetAsync("/v1/records?recent=true&limit=1"));
        await ContractAssert.MatchesResponseAsync("listRecords", await Client.GetAsync($"/v1/records?folderId={Guid.NewGuid()}"));

        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=intake_form&field=email&value=e1%40example.com"));
        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=intake_form&field=age&from=30&to=40&limit=2&order=desc"));
        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=intake_form&field=ssn&value=001"));
        await ContractAssert.MatchesResponseAsync("lookupRecords", await Client.GetAsync("/v1/records/lookup?type=intake_form&field=email&value=a&prefix=b"));

        await ContractAssert.MatchesResponseAsync("lookupRecordsByBody",
            await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "intake_form", field = "ssn", value = "001", includePayload = true }));
        await ContractAssert.MatchesResponseAsync("lookupRecordsByBody",
            await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "intake_form", field = "age", from = "30", to = "31", limit = 1, order = "asc" }));
        await ContractAssert.MatchesResponseAsync("lookupRecordsByBody",
            await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "intake_form", field = "ssn", prefix = "0" }));
    }

    [SpecFact]
    public async Task Reserved_batch_operations_answer_501()
    {
        await ContractAssert.MatchesResponseAsync("batchGetRecords", await Client.PostAsJsonAsync("/v1/records/batch-get", new { ids = new[] { Guid.NewGuid() } }));
        await ContractAssert.MatchesResponseAsync("batchLookupRecords",
            await Client.PostAsJsonAsync("/v1/records/lookup/batch", new { requests = new[] { new { @ref = "a", type = "t", field = "f", value = "v" } } }));
        await ContractAssert.MatchesResponseAsync("batchWriteRecords",
            await Client.PostAsJsonAsync("/v1/records/batch", new { atomicity = "best_effort", items = Array.Empty<object>() }));
    }
}
