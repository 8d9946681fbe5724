using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// Every document operation over real HTTP, for each status it produces, against the spec's schemas (0.31, with
/// DocumentResponse.status as 0.40 has it: see <see cref="SpecErratum"/>) and the 0.40 shapes (Delta040/documents.yaml).
/// </summary>
public sealed class DocumentContractTests : ApiTestBase
{
    private async Task<string> SchemaAsync()
    {
        var schema = await CreateSchemaAsync(new
        {
            typeName = "intake_doc",
            displayName = "Intake document",
            allowedSurfaces = new[] { "document" },
            indexMode = "HYBRID",
            fields = new object[]
            {
                new { fieldId = "patient", fieldType = "string", required = true },
                new { fieldId = "pages", fieldType = "number" },
                new { fieldId = "mrn", fieldType = "string", sensitive = true },
            },
            lookupFields = new object[] { new { fieldName = "patient", rangeEnabled = true }, "mrn" },
        });
        return schema.GetProperty("id").GetString()!;
    }

    private static async Task<string> IdOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

    [SpecFact]
    public async Task Document_write_operations()
    {
        var schemaId = await SchemaAsync();
        var org = await CreateOrgAsync();
        var full = new
        {
            title = "Intake — Jane Doe",
            text = "Patient presented with symptoms of a cold.",
            schemaId,
            payload = new { patient = "Jane", pages = 2, mrn = "MRN-1", ward = "B" },
            userId = Guid.NewGuid(),
            orgId = org,
            externalId = "intake-doc-2024-0042",
            storeText = true,
        };
        var created = await Client.PostAsJsonAsync("/v1/documents", full);
        var id = await IdOf(created);
        await ContractAssert.MatchesResponseAsync("ingestDocument", created);
        await ContractAssert.MatchesResponseAsync("ingestDocument", await Client.PostAsJsonAsync("/v1/documents", full));
        await ContractAssert.MatchesResponseAsync("ingestDocument", await Client.PostAsJsonAsync("/v1/documents?upsert=true", full with { title = "Renamed" }));
        await ContractAssert.MatchesResponseAsync("ingestDocument", await Client.PostAsJsonAsync("/v1/documents", new { title = "No text", indexMode = "TEXT" }));
        await ContractAssert.MatchesResponseAsync("ingestDocument", await Client.PostAsJsonAsync("/v1/documents", new { title = "t", text = "t", schemaId, payload = new { pages = 1 } }));

        await ContractAssert.MatchesResponseAsync("updateDocument",
            await Client.PutAsJsonAsync($"/v1/documents/{id}", new { text = "Re-ingested text.", payload = new { patient = "Janet" }, expectedVersion = 2 }));
        await ContractAssert.MatchesResponseAsync("updateDocument", await Client.PutAsJsonAsync($"/v1/documents/{id}", new { status = "ARCHIVED", expectedVersion = 1 }));
        await ContractAssert.MatchesResponseAsync("updateDocument", await Client.PutAsJsonAsync($"/v1/documents/{id}", new { payload = new { pages = 3 } }));
        await ContractAssert.MatchesResponseAsync("updateDocument", await Client.PutAsJsonAsync($"/v1/documents/{Guid.CreateVersion7()}", new { title = "x" }));

        await ContractAssert.MatchesResponseAsync("patchDocument", await Client.PatchAsync($"/v1/documents/{id}", JsonContent.Create(new { payload = new { pages = (int?)null, room = 4 } })));
        await ContractAssert.MatchesResponseAsync("patchDocument", await Client.PatchAsync($"/v1/documents/{id}", JsonContent.Create(new { title = "x", expectedVersion = 1 })));
        await ContractAssert.MatchesResponseAsync("patchDocument", await Client.PatchAsync($"/v1/documents/{id}", JsonContent.Create(new { indexMode = "TEXT" })));
        await ContractAssert.MatchesResponseAsync("patchDocument", await Client.PatchAsync($"/v1/documents/{Guid.CreateVersion7()}", JsonContent.Create(new { title = "x" })));

        await ContractAssert.MatchesResponseAsync("getDocumentVersions", await Client.GetAsync($"/v1/documents/{id}/versions"));
        await ContractAssert.MatchesResponseAsync("getDocumentVersions", await Client.GetAsync($"/v1/documents/{Guid.CreateVersion7()}/versions"));

        await ContractAssert.MatchesResponseAsync("deleteDocument", await Client.DeleteAsync($"/v1/documents/{id}"));
        await ContractAssert.MatchesResponseAsync("deleteDocument", await Client.DeleteAsync($"/v1/documents/{id}"));
        await ContractAssert.MatchesResponseAsync("getDocumentVersions", await Client.GetAsync($"/v1/documents/{id}/versions"));
    }

    [SpecFact]
    public async Task Document_read_operations()
    {
        await SchemaAsync();
        string? first = null;
        for (var i = 0; i < 3; i++)
        {
            var id = await IdOf(await Client.PostAsJsonAsync("/v1/documents", new
            {
                title = $"Doc {i}",
                text = $"Text {i}",
                typeName = "intake_doc",
                externalId = $"ext-{i}",
                payload = new { patient = $"p{i}", mrn = $"MRN-{i}" },
            }));
            first ??= id;
        }

        await ContractAssert.MatchesResponseAsync("getDocument", await Client.GetAsync($"/v1/documents/{first}"));
        await ContractAssert.MatchesResponseAsync("getDocument", await Client.GetAsync($"/v1/documents/{Guid.CreateVersion7()}"));
        await ContractAssert.MatchesResponseAsync("getDocument", await Client.GetAsync("/v1/documents/not-a-uuid"));

        await ContractAssert.MatchesResponseAsync("getDocumentText", await Client.GetAsync($"/v1/documents/{first}/text"));
        await ContractAssert.MatchesResponseAsync("getDocumentText", await Client.GetAsync($"/v1/documents/{Guid.CreateVersion7()}/text"));

        await ContractAssert.MatchesResponseAsync("listDocuments", await Client.GetAsync("/v1/documents?limit=2"));
        await ContractAssert.MatchesResponseAsync("listDocuments", await Client.GetAsync($"/v1/documents?folderId={Guid.NewGuid()}"));

        await ContractAssert.MatchesResponseAsync("lookupDocuments", await Client.GetAsync("/v1/documents/lookup?type=intake_doc&field=patient&value=p1"));
        await ContractAssert.MatchesResponseAsync("lookupDocuments", await Client.GetAsync("/v1/documents/lookup?type=intake_doc&field=patient&from=p0&to=p9&limit=2&order=desc"));
        await ContractAssert.MatchesResponseAsync("lookupDocuments", await Client.GetAsync("/v1/documents/lookup?type=intake_doc&field=externalId&value=ext-2"));

        await ContractAssert.MatchesResponseAsync("lookupDocumentsByBody",
            await Client.PostAsJsonAsync("/v1/documents/lookup", new { type = "intake_doc", field = "mrn", value = "MRN-1" }));
        await ContractAssert.MatchesResponseAsync("lookupDocumentsByBody",
            await Client.PostAsJsonAsync("/v1/documents/lookup", new { type = "intake_doc", field = "patient", prefix = "p", limit = 1, order = "asc" }));
        await ContractAssert.MatchesResponseAsync("lookupDocumentsByBody",
            await Client.PostAsJsonAsync("/v1/documents/lookup", new { type = "intake_doc", field = "mrn", prefix = "M" }));

        // Text-only: no file to download.
        await ContractAssert.MatchesResponseAsync("getDocumentDownloadUrl", await Client.GetAsync($"/v1/documents/{first}/download"));
        await ContractAssert.MatchesResponseAsync("getDocumentDownloadUrl", await Client.GetAsync($"/v1/documents/{Guid.CreateVersion7()}/download"));
    }

    [SpecFact]
    public async Task File_operations()
    {
        var request = new { fileName = "intake.pdf", fileType = "application/pdf", indexMode = "HYBRID", externalId = "file-1", storeText = false };
        var started = await Client.PostAsJsonAsync("/v1/documents/upload", request);
        var body = await started.Content.ReadAsStringAsync();
        await ContractAssert.MatchesResponseAsync("uploadDocument", started);
        ContractAssert.MatchesDelta("FileUploadResponse040", body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        var uploadUrl = JsonDocument.Parse(body).RootElement.GetProperty("uploadUrl").GetString();
        await ContractAssert.MatchesResponseAsync("uploadDocument", await Client.PostAsJsonAsync("/v1/documents/upload", request));
        await ContractAssert.MatchesResponseAsync("uploadDocument", await Client.PostAsJsonAsync("/v1/documents/upload?upsert=true", request));
        await ContractAssert.MatchesResponseAsync("uploadDocument", await Client.PostAsJsonAsync("/v1/documents/upload", new { fileName = "x.pdf" }));

        // Before the bytes arrive the document is PENDING_UPLOAD and has no file yet.
        await ContractAssert.MatchesResponseAsync("getDocument", await Client.GetAsync($"/v1/documents/{id}"));
        await ContractAssert.MatchesResponseAsync("getDocumentDownloadUrl", await Client.GetAsync($"/v1/documents/{id}/download"));
        await ContractAssert.MatchesResponseAsync("getDocumentText", await Client.GetAsync($"/v1/documents/{id}/text"));

        using var anonymous = Server.CreateClient();
        var content = new ByteArrayContent("%PDF-1.4"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PutAsync(uploadUrl, content)).StatusCode);

        var document = await Client.GetAsync($"/v1/documents/{id}");
        var documentBody = await document.Content.ReadAsStringAsync();
        await ContractAssert.MatchesResponseAsync("getDocument", document);
        ContractAssert.MatchesDelta("DocumentResponse040", documentBody);
        await ContractAssert.MatchesResponseAsync("getDocumentDownloadUrl", await Client.GetAsync($"/v1/documents/{id}/download"));
    }

    [Fact]
    public async Task Documents_answer_in_the_0_40_shapes()
    {
        var created = await Client.PostAsJsonAsync("/v1/documents", new
        {
            title = "Runbook",
            text = "Restart the service.",
            indexMode = "TEXT",
            status = "ARCHIVED",
            scopes = new[] { "team:blue", "project:p1" },
        });
        var body = await created.Content.ReadAsStringAsync();
        ContractAssert.MatchesDelta("DocumentResponse040", body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        ContractAssert.MatchesDelta("DocumentResponse040", await Client.GetStringAsync($"/v1/documents/{id}"));
        ContractAssert.MatchesDelta("DocumentPage040", await Client.GetStringAsync("/v1/documents?scope=team:blue"));

        await CreateSchemaAsync(new { typeName = "memo", displayName = "Memo", allowedSurfaces = new[] { "document" }, indexMode = "NONE" });
        await Client.PostAsJsonAsync("/v1/documents", new { title = "m", text = "t", typeName = "memo", externalId = "m-1" });
        ContractAssert.MatchesDelta("DocumentPage040", await Client.GetStringAsync("/v1/documents/lookup?type=memo&field=externalId&value=m-1"));
        ContractAssert.MatchesDelta("DocumentResponse040",
            await (await Client.PatchAsync($"/v1/documents/{id}", JsonContent.Create(new { status = "ACTIVE", scopes = Array.Empty<string>() }))).Content.ReadAsStringAsync());

        var error = await Client.PatchAsync($"/v1/documents/{id}", JsonContent.Create(new { storeText = false }));
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await error.Content.ReadAsStringAsync());
    }
}
