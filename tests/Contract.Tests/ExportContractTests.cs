using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>createExport and getExport over real HTTP: ExportRequestResponse while running and once completed (with manifest), 403, 404.</summary>
public sealed class ExportContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Create_and_get_export()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/schemas",
            new { typeName = "note", displayName = "Note", fields = new object[] { new { fieldId = "text", fieldType = "string" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { text = "t" } })).StatusCode);
        var user = await JsonAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = Guid.NewGuid().ToString(), type = "SERVICE" }));

        var created = await Client.PostAsJsonAsync("/v1/admin/export", new { scope = "tenant", format = "ndjson", includeAuditHistory = true });
        Assert.Equal(HttpStatusCode.Accepted, created.StatusCode);
        var id = (await JsonAsync(created)).GetProperty("exportJobId").GetString()!;
        await ContractAssert.MatchesResponseAsync("createExport", await Client.PostAsJsonAsync("/v1/admin/export",
            new { scope = "subject", subjectType = "user", subjectId = user.GetProperty("id").GetString(), contextScope = new[] { "default" } }));
        await ContractAssert.MatchesResponseAsync("getExport", await Client.GetAsync($"/v1/admin/export/{id}"));

        await Poll.UntilAsync(async () => (await Client.GetFromJsonAsync<JsonElement>($"/v1/admin/export/{id}")).GetProperty("status").GetString() == "completed",
            "the export completed");
        var completed = await Client.GetAsync($"/v1/admin/export/{id}");
        await ContractAssert.MatchesResponseAsync("getExport", completed);

        var missing = await Client.GetAsync($"/v1/admin/export/exp_{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        await ContractAssert.MatchesResponseAsync("getExport", missing);

        var minted = await JsonAsync(await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "records:r" } } }));
        using var scoped = Server.CreateClient(minted.GetProperty("token").GetString());
        var refused = await scoped.PostAsJsonAsync("/v1/admin/export", new { scope = "tenant" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await ContractAssert.MatchesResponseAsync("createExport", refused);
        var refusedGet = await scoped.GetAsync($"/v1/admin/export/{id}");
        Assert.Equal(HttpStatusCode.Forbidden, refusedGet.StatusCode);
        await ContractAssert.MatchesResponseAsync("getExport", refusedGet);
    }
}
