using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class RecordReferenceTests : RecordTestBase
{
    private async Task SchemasAsync()
    {
        await CreateSchemaAsync(new
        {
            typeName = "clinic",
            displayName = "Clinic",
            fields = new object[] { new { fieldId = "code", fieldType = "string" }, new { fieldId = "city", fieldType = "string" } },
            lookupFields = new object[] { new { fieldName = "code", unique = true }, "city" },
        });
        await CreateSchemaAsync(new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[]
            {
                new { fieldId = "clinic", fieldType = "reference", targetTypeName = "clinic", targetSurface = "record" },
                new { fieldId = "clinicByCode", fieldType = "reference", targetTypeName = "clinic", targetSurface = "record", targetField = "code" },
                new { fieldId = "friends", fieldType = "reference", targetTypeName = "patient", targetSurface = "record", targetField = "id", cardinality = "many" },
            },
        });
    }

    private async Task<List<(string Field, Guid Target)>> ReferencesAsync(string sourceId)
    {
        var rows = new List<(string, Guid)>();
        await using var cmd = Db.CreateCommand(
            "SELECT field, target_id FROM record_references WHERE tenant_id = $1 AND source_record_id = $2 ORDER BY field, target_id");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.Parse(sourceId) });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetGuid(1)));
        }

        return rows;
    }

    [Fact]
    public async Task References_resolve_by_external_id_unique_lookup_and_id()
    {
        await SchemasAsync();
        var clinic = Id(await CreateRecordAsync(new { typeName = "clinic", externalId = "c-1", payload = new { code = "ABC" } }));
        var friend = Id(await CreateRecordAsync(new { typeName = "patient" }));
        var patient = Id(await CreateRecordAsync(new
        {
            typeName = "patient",
            payload = new { clinic = "c-1", clinicByCode = "ABC", friends = new[] { friend, friend } },
        }));

        Assert.Equal(
            [("clinic", Guid.Parse(clinic)), ("clinicByCode", Guid.Parse(clinic)), ("friends", Guid.Parse(friend))],
            await ReferencesAsync(patient));
    }

    [Theory]
    [InlineData("""{"clinic":"c-9"}""", "payload.clinic")]
    [InlineData("""{"clinicByCode":"XYZ"}""", "payload.clinicByCode")]
    [InlineData("""{"friends":["6ba7b810-9dad-11d1-80b4-00c04fd430c8"]}""", "payload.friends")]
    [InlineData("""{"friends":["not-an-id"]}""", "payload.friends")]
    [InlineData("""{"clinic":5}""", "payload.clinic")]
    [InlineData("""{"friends":"one"}""", "payload.friends")]
    public async Task A_missing_target_is_400_and_nothing_is_written(string payload, string path)
    {
        await SchemasAsync();
        await CreateRecordAsync(new { typeName = "clinic", externalId = "c-1", payload = new { code = "ABC" } });
        var before = await CountRowsAsync();
        var body = await ExpectAsync(await Client.PostAsync("/v1/records", RawJson($$"""{"typeName":"patient","payload":{{payload}}}""")), HttpStatusCode.BadRequest);
        Assert.Equal(path, body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task A_target_of_another_type_or_tenant_does_not_resolve()
    {
        await SchemasAsync();
        await CreateRecordAsync(new { typeName = "patient", externalId = "c-1" });
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { clinic = "c-1" } }), HttpStatusCode.BadRequest);

        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        await CreateSchemaAsync(new { typeName = "clinic", displayName = "Clinic" }, live);
        await CreateRecordAsync(new { typeName = "clinic", externalId = "c-2" }, live);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "patient", payload = new { clinic = "c-2" } }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Surfaces_other_than_record_are_refused_clearly()
    {
        await CreateSchemaAsync(new
        {
            typeName = "note",
            displayName = "Note",
            fields = new object[] { new { fieldId = "doc", fieldType = "reference", targetTypeName = "contract", targetSurface = "document" } },
        });
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { doc = "d-1" } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.doc", body.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains("'document' surface, which is not supported yet", body.GetProperty("message").GetString());

        // Without a value there is nothing to resolve.
        await CreateRecordAsync(new { typeName = "note", payload = new { } });
    }

    [Fact]
    public async Task A_target_field_that_is_not_a_unique_lookup_is_refused()
    {
        await SchemasAsync();
        await CreateSchemaAsync(new
        {
            typeName = "visit",
            displayName = "Visit",
            fields = new object[] { new { fieldId = "clinic", fieldType = "reference", targetTypeName = "clinic", targetSurface = "record", targetField = "city" } },
        });
        await CreateRecordAsync(new { typeName = "clinic", payload = new { city = "Oslo" } });
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "visit", payload = new { clinic = "Oslo" } }), HttpStatusCode.BadRequest);
        Assert.Contains("not a unique lookup field", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Reference_rows_follow_updates_and_deletes()
    {
        await SchemasAsync();
        var a = Id(await CreateRecordAsync(new { typeName = "clinic", externalId = "a", payload = new { code = "A" } }));
        var b = Id(await CreateRecordAsync(new { typeName = "clinic", externalId = "b", payload = new { code = "B" } }));
        var patient = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { clinic = "a" } }));
        Assert.Equal([("clinic", Guid.Parse(a))], await ReferencesAsync(patient));

        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{patient}", new { payload = new { clinic = "b" } }), HttpStatusCode.OK);
        Assert.Equal([("clinic", Guid.Parse(b))], await ReferencesAsync(patient));

        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{patient}", new { payload = new { clinic = "gone" } }), HttpStatusCode.BadRequest);
        Assert.Equal([("clinic", Guid.Parse(b))], await ReferencesAsync(patient));

        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{patient}"), HttpStatusCode.NoContent);
        Assert.Empty(await ReferencesAsync(patient));
        Assert.Equal(0, (await CountRowsAsync()).References);
    }
}
