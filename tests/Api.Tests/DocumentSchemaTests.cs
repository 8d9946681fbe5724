using System.Net;
using System.Net.Http.Json;
using Vectros.Grains.Abstractions.Documents;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Documents bound to a schema (issue #8 item 1): the document surface, a validated payload whose undeclared keys pass
/// through, sensitive fields encrypted, blind-indexed and masked exactly as on records, history when the schema keeps it.
/// </summary>
public sealed class DocumentSchemaTests : DocumentTestBase
{
    private const string Mrn = "MRN-000123";

    private Task<System.Text.Json.JsonElement> PatientSchemaAsync(bool audit = true) => CreateDocumentSchemaAsync(
        "patient_note",
        [
            new { fieldId = "author", fieldType = "string", required = true },
            new { fieldId = "pages", fieldType = "number" },
            new { fieldId = "mrn", fieldType = "string", sensitive = true },
        ],
        [new { fieldName = "author", rangeEnabled = true }, "pages", "mrn"],
        audit);

    [Fact]
    public async Task A_schema_must_allow_the_document_surface()
    {
        var recordOnly = await CreateSchemaAsync(new { typeName = "rec_only", displayName = "R", indexMode = "TEXT" });
        var before = await DocumentRowsAsync();
        var byId = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", schemaId = recordOnly.GetProperty("id").GetString() }), HttpStatusCode.BadRequest);
        Assert.Equal("schemaId", byId.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains("document surface", byId.GetProperty("message").GetString(), StringComparison.Ordinal);
        var byName = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", typeName = "rec_only" }), HttpStatusCode.BadRequest);
        Assert.Equal("typeName", byName.GetProperty("details").GetProperty("field").GetString());
        var missing = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", indexMode = "TEXT", schemaId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        Assert.Equal("schemaId", missing.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());
    }

    [Fact]
    public async Task The_payload_is_validated_and_undeclared_keys_pass_through()
    {
        await PatientSchemaAsync();
        var before = await DocumentRowsAsync();
        var missing = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", typeName = "patient_note", payload = new { pages = 2 } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.author", missing.GetProperty("details").GetProperty("field").GetString());
        var wrongType = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents",
            new { title = "t", text = "t", typeName = "patient_note", payload = new { author = "a", pages = "two" } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.pages", wrongType.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await DocumentRowsAsync());

        var created = await IngestAsync(new { title = "t", text = "t", typeName = "patient_note", payload = new { author = "Ann", pages = 3, ward = "B" } });
        Assert.Equal("B", created.GetProperty("payload").GetProperty("ward").GetString());
        Assert.Equal(1, created.GetProperty("schemaVersion").GetInt32());

        // The merged result of a PATCH is validated too.
        var invalid = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{Id(created)}",
            new { payload = new Dictionary<string, object?> { ["author"] = null } }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.author", invalid.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Sensitive_fields_are_encrypted_masked_and_found_through_the_body_lookup_only()
    {
        await PatientSchemaAsync();
        var created = await IngestAsync(new { title = "t", text = "t", typeName = "patient_note", payload = new { author = "Ann", mrn = Mrn } });
        var id = Id(created);
        Assert.Equal("[redacted]", created.GetProperty("payload").GetProperty("mrn").GetString());
        var stored = await TextAsync("SELECT payload::text FROM documents WHERE document_id = $1", Guid.Parse(id));
        Assert.DoesNotContain(Mrn, stored, StringComparison.Ordinal);
        Assert.Contains("$enc", stored, StringComparison.Ordinal);
        var keys = await TextAsync("SELECT string_agg(value_key, ',') FROM document_lookups WHERE document_id = $1", Guid.Parse(id));
        Assert.DoesNotContain(Mrn, keys, StringComparison.Ordinal);

        var found = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup", new { type = "patient_note", field = "mrn", value = Mrn }), HttpStatusCode.OK);
        Assert.Equal([id], Ids(found));
        Assert.Equal("[redacted]", found.GetProperty("data")[0].GetProperty("payload").GetProperty("mrn").GetString());
        var inUrl = await ExpectAsync(await Client.GetAsync($"/v1/documents/lookup?type=patient_note&field=mrn&value={Mrn}"), HttpStatusCode.BadRequest);
        Assert.DoesNotContain(Mrn, inUrl.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A reveal grant (documents:s:<type>) gets the plaintext; history never holds it.
        var revealer = Scoped("documents:crud", "documents:s:patient_note");
        var revealed = await Grains.GetGrain<IDocumentGrain>(revealer.KeyFor(id)).GetAsync(revealer);
        Assert.Equal(Mrn, revealed.Payload.GetProperty("mrn").GetString());
        await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { payload = new { mrn = "MRN-999" } }), HttpStatusCode.OK);
        var history = await TextAsync("SELECT string_agg(coalesce(previous_content::text, '') || changed_fields::text, ' ') FROM entity_versions WHERE entity_id = $1", id);
        Assert.DoesNotContain(Mrn, history, StringComparison.Ordinal);
        Assert.DoesNotContain("MRN-999", history, StringComparison.Ordinal);
        Assert.Equal([id], Ids(await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup",
            new { type = "patient_note", field = "mrn", value = "MRN-999" }), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup",
            new { type = "patient_note", field = "mrn", value = Mrn }), HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Versions_are_kept_for_documents_of_an_audited_schema_only()
    {
        await PatientSchemaAsync(audit: true);
        var id = Id(await IngestAsync(new { title = "v1", text = "t", typeName = "patient_note", payload = new { author = "Ann" } }));
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "v2" }), HttpStatusCode.OK);
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { text = "new text" }), HttpStatusCode.OK);
        var versions = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/versions"), HttpStatusCode.OK);
        Assert.Equal(["UPDATE", "UPDATE", "CREATE"], versions.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("changeType").GetString()));
        var reingest = versions.GetProperty("data")[0].GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Contains("contentVersion", reingest);
        Assert.DoesNotContain("new text", versions.GetRawText(), StringComparison.Ordinal);

        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{id}"), HttpStatusCode.NoContent);
        var afterDelete = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/versions"), HttpStatusCode.OK);
        Assert.Equal("DELETE", afterDelete.GetProperty("data")[0].GetProperty("changeType").GetString());

        // Untyped documents have no history (spec L2212); an unknown id is a 404.
        var untyped = Id(await IngestTextAsync());
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{untyped}", new { title = "x" }), HttpStatusCode.OK);
        Assert.Empty((await ExpectAsync(await Client.GetAsync($"/v1/documents/{untyped}/versions"), HttpStatusCode.OK)).GetProperty("data").EnumerateArray());
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{Guid.CreateVersion7()}/versions"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/versions?startFrom=abc"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Versions_of_a_schema_without_audit_history_are_empty()
    {
        await PatientSchemaAsync(audit: false);
        var id = Id(await IngestAsync(new { title = "v1", text = "t", typeName = "patient_note", payload = new { author = "Ann" } }));
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{id}", new { title = "v2" }), HttpStatusCode.OK);
        Assert.Empty((await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/versions"), HttpStatusCode.OK)).GetProperty("data").EnumerateArray());
        Assert.Equal(0, (await DocumentRowsAsync()).Versions);
    }

    [Fact]
    public async Task A_document_can_be_re_pointed_to_another_schema_which_validates_its_payload()
    {
        await PatientSchemaAsync();
        var other = await CreateDocumentSchemaAsync("memo", [new { fieldId = "author", fieldType = "number" }], ["author"]);
        var id = Id(await IngestAsync(new { title = "t", text = "t", typeName = "patient_note", payload = new { author = "Ann" } }));

        var refused = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}", new { schemaId = other.GetProperty("id").GetString() }), HttpStatusCode.BadRequest);
        Assert.Equal("payload.author", refused.GetProperty("details").GetProperty("field").GetString());

        var moved = await ExpectAsync(await PatchAsync(Client, $"/v1/documents/{id}",
            new { schemaId = other.GetProperty("id").GetString(), payload = new { author = 7 } }), HttpStatusCode.OK);
        Assert.Equal("memo", moved.GetProperty("typeName").GetString());
        Assert.Equal([id], Ids(await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=memo&field=author&value=7"), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await Client.GetAsync("/v1/documents/lookup?type=patient_note&field=author&value=Ann"), HttpStatusCode.OK)));
    }

    [Fact]
    public async Task A_schema_bound_by_documents_cannot_be_deleted()
    {
        var schema = await PatientSchemaAsync();
        var id = Id(await IngestAsync(new { title = "t", text = "t", typeName = "patient_note", payload = new { author = "Ann" } }));
        var inUse = await ExpectAsync(await Client.DeleteAsync($"/v1/schemas/{schema.GetProperty("id").GetString()}"), HttpStatusCode.Conflict);
        Assert.Equal("SCHEMA_IN_USE", inUse.GetProperty("errorCode").GetString());
        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{id}"), HttpStatusCode.NoContent);
        await ExpectAsync(await Client.DeleteAsync($"/v1/schemas/{schema.GetProperty("id").GetString()}"), HttpStatusCode.NoContent);
    }
}
