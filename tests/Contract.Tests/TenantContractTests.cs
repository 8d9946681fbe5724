using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>
/// The portal's tenant operations (issue #11 item 7) against their own shape (Delta040/tenants.yaml): getTenant while
/// active, deleteTenant's 202, getTenant while deleting and once deleted, and the errors' codes.
/// </summary>
public sealed class TenantContractTests : ApiTestBase
{
    [Fact]
    public async Task Tenant_status_and_teardown_answer_their_shape()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var tenantId = Partner.LiveTenantId;

        var active = await op.GetAsync($"/developer/tenants/{tenantId}");
        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        ContractAssert.MatchesDelta("TenantStatusResponse", await active.Content.ReadAsStringAsync());

        var accepted = await op.DeleteAsync($"/developer/tenants/live?partnerId={Partner.PartnerId}&confirm={tenantId}");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        ContractAssert.MatchesDelta("TenantStatusResponse", await accepted.Content.ReadAsStringAsync());

        await Poll.UntilAsync(async () =>
        {
            var body = await (await op.GetAsync($"/developer/tenants/{tenantId}")).Content.ReadAsStringAsync();
            ContractAssert.MatchesDelta("TenantStatusResponse", body);
            return body.Contains("\"status\":\"deleted\"", StringComparison.Ordinal);
        }, "the live tenant deleted");

        var bad = await op.DeleteAsync($"/developer/tenants/{Partner.TestTenantId}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("VALIDATION_ERROR", (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
        var missing = await op.GetAsync("/developer/tenants/ten_test_0000000000000000");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NOT_FOUND", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
    }
}
