using System.Net;
using System.Net.Http.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Document reads that return a sensitive payload field leave read-access rows of resourceType <c>document</c>.</summary>
public sealed class DocumentAccessLogTests : DocumentTestBase
{
    private const string Mrn = "MRN-998877";

    [Fact]
    public async Task Masked_document_reads_are_logged_and_schemaless_ones_are_not()
    {
        await CreateDocumentSchemaAsync(
            "chart_note",
            [new { fieldId = "author", fieldType = "string" }, new { fieldId = "mrn", fieldType = "string", sensitive = true }],
            ["author"]);
        var plain = Id(await IngestTextAsync());
        var id = Id(await IngestAsync(new { title = "t", text = "t", typeName = "chart_note", payload = new { author = "Ann", mrn = Mrn } }));

        await ExpectAsync(await Client.GetAsync($"/v1/documents/{plain}"), HttpStatusCode.OK);
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        await ExpectAsync(await Client.GetAsync("/v1/documents"), HttpStatusCode.OK);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/lookup", new { type = "chart_note", field = "author", value = "Ann" }), HttpStatusCode.OK);

        var rows = new List<System.Text.Json.JsonElement>();
        await Poll.UntilAsync(async () =>
        {
            var page = await ExpectAsync(await Client.GetAsync($"/v1/admin/access-log?contextId=default&resourceId={id}"), HttpStatusCode.OK);
            rows = [.. page.GetProperty("data").EnumerateArray()];
            return rows.Count >= 3;
        }, "three document access-log rows");
        Assert.Equal(["list", "lookup", "read"], rows.Select(r => r.GetProperty("action").GetString()).Order(StringComparer.Ordinal));
        Assert.All(rows, r =>
        {
            Assert.Equal("document", r.GetProperty("resourceType").GetString());
            Assert.False(r.GetProperty("revealedSensitive").GetBoolean());
        });

        var schemaless = await ExpectAsync(await Client.GetAsync($"/v1/admin/access-log?contextId=default&resourceId={plain}"), HttpStatusCode.OK);
        Assert.Equal(0, schemaless.GetProperty("data").GetArrayLength());
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM read_access_log WHERE tenant_id = $1 AND row_to_json(read_access_log)::text LIKE '%' || $2 || '%'", Partner.TestTenantId, Mrn));
    }
}
