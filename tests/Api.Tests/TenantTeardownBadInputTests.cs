using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Tenant teardown's refusals (issue #11 items 7 and 10): without the operator token, without or with a wrong
/// confirmation, for an unknown or malformed tenant, with a missing or malformed partner: 4xx, and the tenant stays
/// active with working credentials; a mis-signed or replayed signed call is refused. Also the environment form of the route,
/// which leaves the other environment alone.
/// </summary>
public sealed class TenantTeardownBadInputTests : ApiTestBase
{
    private HttpClient Operator => Server.CreateClient(VectrosTestServer.OperatorToken);

    [Fact]
    public async Task Refused_requests_delete_nothing()
    {
        using var op = Operator;
        var tenant = Partner.TestTenantId;
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/{tenant}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/{tenant}?confirm="), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/{tenant}?confirm={Partner.LiveTenantId}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/{tenant}?confirm={tenant.ToUpperInvariant()}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/{tenant}?confirm={tenant}&partnerId={Partner.PartnerId}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/test?confirm={tenant}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/test?partnerId=not-a-uuid&confirm={tenant}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/test?partnerId={Partner.PartnerId}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/staging?partnerId={Partner.PartnerId}&confirm={tenant}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        using (var anonymous = Server.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/developer/tenants/{tenant}?confirm={tenant}")).StatusCode);
        }

        using (var rootKey = Server.CreateClient(Partner.TestKey.RawKey))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await rootKey.DeleteAsync($"/developer/tenants/{tenant}?confirm={tenant}")).StatusCode);
        }

        Assert.Equal(0, await TenantTeardownSupport.ScalarAsync(Db, "SELECT count(*) FROM tenant_teardowns WHERE tenant_id = ANY($1)", (object)new[] { tenant, Partner.LiveTenantId }));
        Assert.Equal(0, await TenantTeardownSupport.ScalarAsync(Db, "SELECT count(*) FROM outbox WHERE kind = 'tenant.teardown' AND tenant_id = $1", tenant));
        Assert.Equal("active", (await op.GetFromJsonAsync<JsonElement>($"/developer/tenants/{tenant}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v1/ping")).StatusCode);
    }

    [Theory]
    [InlineData("ten_test_0000000000000000")]
    [InlineData("ten_live_ffffffffffffffff")]
    [InlineData("ten_test_XYZ")]
    [InlineData("nobody")]
    public async Task Unknown_or_malformed_tenants_are_404(string tenant)
    {
        using var op = Operator;
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/{tenant}?confirm={tenant}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(op.GetAsync($"/developer/tenants/{tenant}"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task An_unknown_partner_is_404()
    {
        using var op = Operator;
        var nobody = Guid.NewGuid();
        await ErrorAsync(op.GetAsync($"/developer/tenants/live?partnerId={nobody}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/live?partnerId={nobody}&confirm=ten_live_0000000000000000"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task The_environment_form_tears_down_that_environment_only()
    {
        using var op = Operator;
        var partner = await Server.CreatePartnerAsync("env-form");
        using var live = Server.CreateClient(partner.LiveKey.RawKey);
        using var test = Server.CreateClient(partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await live.GetAsync("/v1/ping")).StatusCode);

        // The confirmation must name the live tenant: the test tenant's id (a slip of the environment) is refused.
        await ErrorAsync(op.DeleteAsync($"/developer/tenants/live?partnerId={partner.PartnerId}&confirm={partner.TestTenantId}"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        // Signed calls (item 10): one signed for another tenant's URL does not verify; a captured one cannot be replayed.
        var path = $"/developer/tenants/live?partnerId={partner.PartnerId}&confirm={partner.LiveTenantId}";
        var misSigned = PortalSigner.Signed(HttpMethod.Delete, $"/developer/tenants/{partner.TestTenantId}?confirm={partner.TestTenantId}", null, VectrosTestServer.OperatorToken);
        misSigned.RequestUri = new Uri(path, UriKind.Relative);
        Assert.Equal(HttpStatusCode.Unauthorized, (await op.SendAsync(misSigned)).StatusCode);
        Assert.Equal(0, await TenantTeardownSupport.ScalarAsync(Db, "SELECT count(*) FROM tenant_teardowns WHERE partner_id = $1", partner.PartnerId));

        var signed = PortalSigner.Signed(HttpMethod.Delete, path, null, VectrosTestServer.OperatorToken);
        var replay = await PortalSigner.ReplayAsync(signed);
        var accepted = await op.SendAsync(signed);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await ErrorAsync(op.SendAsync(replay), HttpStatusCode.Conflict, "REPLAYED_REQUEST");
        Assert.Equal(partner.LiveTenantId, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await live.GetAsync("/v1/ping")).StatusCode);

        await TenantTeardownSupport.StatusesUntilDeletedAsync(op, partner.LiveTenantId);
        Assert.Equal(HttpStatusCode.OK, (await test.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await test.PostAsJsonAsync("/v1/folders", new { name = "Still here" })).StatusCode);
        Assert.Equal("active", (await op.GetFromJsonAsync<JsonElement>($"/developer/tenants/test?partnerId={partner.PartnerId}")).GetProperty("status").GetString());
        Assert.Equal(1, await TenantTeardownSupport.ScalarAsync(Db, "SELECT count(*) FROM tenants WHERE partner_id = $1", partner.PartnerId));
    }

    private static async Task ErrorAsync(Task<HttpResponseMessage> call, HttpStatusCode status, string errorCode)
    {
        var response = await call;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.RequestUri?.PathAndQuery}: {response.StatusCode}: {body}");
        Assert.Equal(errorCode, JsonDocument.Parse(body).RootElement.GetProperty("errorCode").GetString());
    }
}
