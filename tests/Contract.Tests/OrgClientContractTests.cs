using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// Every 0.31 org and client operation (views of the org/client entities), over real HTTP, for each status it
/// produces that the spec declares, against the spec's schemas (OrgResponse, ClientResponse, their pages,
/// ModelDataVersionPage). The 0.40 <c>namespace</c> and <c>scopes</c> ride beside the 0.31 fields.
/// </summary>
public sealed class OrgClientContractTests : ApiTestBase
{
    [SpecTheory]
    [InlineData("orgs", "Org")]
    [InlineData("clients", "Client")]
    public async Task Create_list_and_lookup(string route, string name)
    {
        await LookupSchemaAsync();
        var body = route == "clients"
            ? (object)new { externalId = "x1", name = "X", payload = new { region = "us" }, orgId = await OrgAsync() }
            : new { externalId = "x1", name = "X", payload = new { region = "us" }, schemaId = await LookupSchemaAsync() };
        var created = await Client.PostAsJsonAsync($"/v1/{route}", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await ContractAssert.MatchesResponseAsync($"create{name}", created);

        var existing = await Client.PostAsJsonAsync($"/v1/{route}", new { externalId = "x1" });
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        await ContractAssert.MatchesResponseAsync($"create{name}", existing);

        var upserted = await Client.PostAsJsonAsync($"/v1/{route}?upsert=true", new { externalId = "x1", status = "SUSPENDED" });
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        await ContractAssert.MatchesResponseAsync($"create{name}", upserted);

        var bad = await Client.PostAsJsonAsync($"/v1/{route}", new { name = "no external id" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        await ContractAssert.MatchesResponseAsync($"create{name}", bad);

        await ContractAssert.MatchesResponseAsync($"list{name}s", await Client.GetAsync($"/v1/{route}"));
        await ContractAssert.MatchesResponseAsync($"list{name}s", await Client.GetAsync($"/v1/{route}?limit=1"));
        await ContractAssert.MatchesResponseAsync($"list{name}s", await Client.GetAsync($"/v1/{route}?externalId=x1"));
        await ContractAssert.MatchesResponseAsync($"list{name}s", await Client.GetAsync($"/v1/{route}?type=org_v1&field=region&value=us"));

        var lookup = await Client.PostAsJsonAsync($"/v1/{route}/lookup", new { type = "org_v1", field = "region", prefix = "u" });
        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        await ContractAssert.MatchesResponseAsync($"lookup{name}s", lookup);
        var badLookup = await Client.PostAsJsonAsync($"/v1/{route}/lookup", new { type = "org_v1", field = "region", value = "a", prefix = "b" });
        Assert.Equal(HttpStatusCode.BadRequest, badLookup.StatusCode);
        await ContractAssert.MatchesResponseAsync($"lookup{name}s", badLookup);
    }

    [SpecTheory]
    [InlineData("orgs", "Org")]
    [InlineData("clients", "Client")]
    public async Task Get_update_delete_and_versions(string route, string name)
    {
        var id = await IdOf(await Client.PostAsJsonAsync($"/v1/{route}", new { externalId = "y1", payload = new { a = 1 } }));
        var missing = Guid.CreateVersion7();

        await ContractAssert.MatchesResponseAsync($"get{name}", await Client.GetAsync($"/v1/{route}/{id}"));
        var notFound = await Client.GetAsync($"/v1/{route}/{missing}");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        await ContractAssert.MatchesResponseAsync($"get{name}", notFound);

        var updated = await Client.PutAsJsonAsync($"/v1/{route}/{id}", new { name = "Renamed", payload = new { b = 2 } });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        await ContractAssert.MatchesResponseAsync($"update{name}", updated);
        await ContractAssert.MatchesResponseAsync($"update{name}", await Client.PutAsJsonAsync($"/v1/{route}/{missing}", new { name = "x" }));

        var versions = await Client.GetAsync($"/v1/{route}/{id}/versions");
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        await ContractAssert.MatchesResponseAsync($"get{name}Versions", versions);
        await ContractAssert.MatchesResponseAsync($"get{name}Versions", await Client.GetAsync($"/v1/{route}/{missing}/versions"));

        var deleted = await Client.DeleteAsync($"/v1/{route}/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ContractAssert.MatchesResponseAsync($"delete{name}", deleted);
        var gone = await Client.DeleteAsync($"/v1/{route}/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        await ContractAssert.MatchesResponseAsync($"delete{name}", gone);

        // History outlives the delete and still has the spec's shape.
        await ContractAssert.MatchesResponseAsync($"get{name}Versions", await Client.GetAsync($"/v1/{route}/{id}/versions"));
    }

    private async Task<string> OrgAsync() =>
        await IdOf(await Client.PostAsJsonAsync("/v1/orgs", new { externalId = "parent" }));

    private async Task<string> LookupSchemaAsync()
    {
        var response = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "org_v1",
            displayName = "Org",
            allowedSurfaces = new[] { "org", "client" },
            fields = new object[] { new { fieldId = "region", fieldType = "string" } },
            lookupFields = new object[] { new { fieldName = "region", rangeEnabled = true } },
        });
        return await IdOf(response);
    }

    private static async Task<string> IdOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {body}");
        return body.GetProperty("id").GetString()!;
    }
}
