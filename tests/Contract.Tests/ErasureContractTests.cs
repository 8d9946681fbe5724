using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// createErasureRequest and getErasureRequest over real HTTP: the spec's ErasureRequestResponse for 202, 200, 403 and
/// 404, and the certificate with our extra members against <c>Delta040/erasure.yaml</c>.
/// </summary>
public sealed class ErasureContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Erasure_request_operations()
    {
        var user = await CreateUserAsync();
        var accepted = await Client.PostAsJsonAsync("/v1/erasure-requests", new { subjectType = "user", subjectId = user });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await ContractAssert.MatchesResponseAsync("createErasureRequest", accepted);
        var requestId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString();

        await Poll.UntilAsync(async () => (await Client.GetFromJsonAsync<JsonElement>($"/v1/erasure-requests/{requestId}"))
            .GetProperty("status").GetString() == "completed", "the erasure completed");
        await ContractAssert.MatchesResponseAsync("getErasureRequest", await Client.GetAsync($"/v1/erasure-requests/{requestId}"));
        await ContractAssert.MatchesResponseAsync("getErasureRequest", await Client.GetAsync($"/v1/erasure-requests/er_{Guid.NewGuid():N}"));

        using var scoped = Server.CreateClient(await ScopedKeyMint.MintAsync(Client, Partner.TestTenantId, "default", ["records:r"]));
        var forbidden = await scoped.PostAsJsonAsync("/v1/erasure-requests", new { subjectType = "user", subjectId = user });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await ContractAssert.MatchesResponseAsync("createErasureRequest", forbidden);
        await ContractAssert.MatchesResponseAsync("getErasureRequest", await scoped.GetAsync($"/v1/erasure-requests/{requestId}"));
    }

    [Fact]
    public async Task The_certificate_carries_our_members()
    {
        var user = await CreateUserAsync();
        var accepted = await Client.PostAsJsonAsync("/v1/erasure-requests", new { subjectType = "user", subjectId = user, dryRun = true });
        ContractAssert.MatchesDelta("ErasureRequestResponse040", await accepted.Content.ReadAsStringAsync());
        var requestId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString();
        string body = "";
        await Poll.UntilAsync(async () =>
        {
            body = await Client.GetStringAsync($"/v1/erasure-requests/{requestId}");
            return JsonDocument.Parse(body).RootElement.GetProperty("status").GetString() == "completed";
        }, "the dry run completed");
        ContractAssert.MatchesDelta("ErasureRequestResponse040", body);
    }

    private async Task<string> CreateUserAsync()
    {
        var response = await Client.PostAsJsonAsync("/v1/users", new { externalId = "u-" + Guid.NewGuid().ToString("N"), type = "SERVICE" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
