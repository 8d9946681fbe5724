using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>0.40 request bodies against the server; responses checked against the 0.40 shapes (Delta040/data-plane.yaml).</summary>
public sealed class DataPlane040ContractTests : ApiTestBase
{
    [Fact]
    public async Task Records_folders_and_schemas_answer_in_the_0_40_shapes()
    {
        var schema = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "session",
            displayName = "Session",
            allowedSurfaces = new[] { "record" },
            capabilities = new { ttlEligible = true },
            scopes = new[] { "team:blue" },
        });
        ContractAssert.MatchesDelta("SchemaResponse040", await schema.Content.ReadAsStringAsync());

        var record = await Client.PostAsJsonAsync("/v1/records", new
        {
            typeName = "session",
            payload = new { n = 1 },
            status = "ARCHIVED",
            scopes = new[] { "team:blue", "project:p1" },
            expiresAt = DateTimeOffset.UtcNow.AddHours(1).ToString("O"),
        });
        var body = await record.Content.ReadAsStringAsync();
        ContractAssert.MatchesDelta("RecordResponse040", body);
        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
        ContractAssert.MatchesDelta("RecordResponse040", await Client.GetStringAsync($"/v1/records/{id}"));
        ContractAssert.MatchesDelta("RecordPage040", await Client.GetStringAsync("/v1/records?type=session&scope=team:blue"));
        ContractAssert.MatchesDelta("RecordPage040", await Client.GetStringAsync("/v1/records/lookup?type=session&field=externalId&value=none"));

        var folder = await Client.PostAsJsonAsync("/v1/folders", new { name = "Blue", scopes = new[] { "team:blue" } });
        ContractAssert.MatchesDelta("FolderResponse040", await folder.Content.ReadAsStringAsync());

        var error = await Client.PostAsJsonAsync("/v1/records", new { typeName = "session", payload = new { }, status = "DRAFT" });
        ContractAssert.MatchesDelta("ErrorResponse040", await error.Content.ReadAsStringAsync());
    }
}
