using System.Net;
using System.Net.Http.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// The 0.40 conventions (API-DELTA §1) keep the 0.31 shapes: pages turned with sealed cursors are still the spec's
/// envelopes, and the new refusals (a foreign cursor, an unknown <c>Vectros-Version</c>) are 0.40 error bodies.
/// </summary>
public sealed class ConventionContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Pages_turned_with_sealed_cursors_match_the_spec()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/folders", new { name = $"Page {i}" })).StatusCode);
        }

        await CreateSchemaAsync(new { typeName = "page", displayName = "Page", fields = new[] { new { fieldId = "k", fieldType = "string" } }, lookupFields = new[] { "k" } });
        await CreateSchemaAsync(new { typeName = "other", displayName = "Other" });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "page", payload = new { k = "v" } })).StatusCode);
        }

        foreach (var (operationId, url) in new[]
                 {
                     ("listFolders", "/v1/folders?limit=1"),
                     ("listRecords", "/v1/records?type=page&limit=1"),
                     ("lookupRecords", "/v1/records/lookup?type=page&field=k&value=v&limit=1"),
                     ("listAppContexts", "/v1/app-contexts?limit=1"),
                     ("listSchemas", "/v1/schemas?limit=1&surface=record"),
                 })
        {
            var first = await Client.GetAsync(url);
            var cursor = (await first.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("nextCursor").GetString();
            Assert.True(cursor is not null, $"{url} has one page");
            var second = await Client.GetAsync($"{url}&startFrom={Uri.EscapeDataString(cursor)}");
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            await ContractAssert.MatchesResponseAsync(operationId, second);

            var foreign = await Client.GetAsync($"{url}&startFrom={Uri.EscapeDataString(cursor)}&includePayload=true");
            Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
            ContractAssert.MatchesDelta("ErrorResponse040", await foreign.Content.ReadAsStringAsync());
        }
    }

    [SpecFact]
    public async Task Convention_refusals_are_0_40_error_bodies()
    {
        using var versioned = new HttpRequestMessage(HttpMethod.Get, "/v1/ping");
        versioned.Headers.Add("Vectros-Version", "1999-01-01");
        var unsupported = await Client.SendAsync(versioned);
        Assert.Equal(HttpStatusCode.BadRequest, unsupported.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await unsupported.Content.ReadAsStringAsync());

        var notAllowed = await Client.DeleteAsync("/v1/ping");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await notAllowed.Content.ReadAsStringAsync());

        using var anonymous = Server.CreateClient();
        var unauthorized = await anonymous.GetAsync("/v1/folders");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        ContractAssert.MatchesDelta("ErrorResponse040", await unauthorized.Content.ReadAsStringAsync());
    }
}
