using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary><c>POST /developer/billing/top-ups</c>: operator-guarded, idempotent by reference, per environment.</summary>
[Collection(InferenceCollection.Name)]
public sealed class TopUpTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    [Fact]
    public async Task A_top_up_credits_once_and_a_replay_returns_the_same_row()
    {
        var first = await TopUpAsync(500, reference: "inv-1");
        Assert.Equal(500, first.GetProperty("amountCents").GetInt64());
        Assert.Equal(500, first.GetProperty("balanceCents").GetInt64());

        var replay = await Operator.PostAsJsonAsync("/developer/billing/top-ups", new { tenantId = Partner.TestTenantId, amountCents = 500, reference = "inv-1" });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        var again = await replay.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(first.GetProperty("topUpId").GetString(), again.GetProperty("topUpId").GetString());
        Assert.Equal(first.GetProperty("createdAt").GetString(), again.GetProperty("createdAt").GetString());
        Assert.Equal(500, await BalanceAsync());

        var reused = await Operator.PostAsJsonAsync("/developer/billing/top-ups", new { tenantId = Partner.TestTenantId, amountCents = 700, reference = "inv-1" });
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        Assert.Equal(500, await BalanceAsync());
    }

    [Fact]
    public async Task The_environment_may_be_named_by_partner_and_environment()
    {
        var response = await Operator.PostAsJsonAsync("/developer/billing/top-ups",
            new { partnerId = Partner.PartnerId, environment = "live", amountCents = 250, reference = "live-1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Partner.LiveTenantId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("tenantId").GetString());
        Assert.Equal(250, await BalanceAsync(Partner.LiveTenantId));
        Assert.Equal(0, await BalanceAsync(Partner.TestTenantId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(50001)]
    public async Task Bad_amounts_are_400_and_credit_nothing(long cents)
    {
        var response = await Operator.PostAsJsonAsync("/developer/billing/top-ups", new { tenantId = Partner.TestTenantId, amountCents = cents, reference = "bad" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await BalanceAsync());
    }

    [Fact]
    public async Task Unknown_tenants_and_partners_are_404_and_the_route_needs_the_operator_token()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = "ten_test_nosuchtenant", amountCents = 1, reference = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Operator.PostAsJsonAsync("/developer/billing/top-ups",
            new { partnerId = Guid.NewGuid(), environment = "test", amountCents = 1, reference = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Operator.PostAsJsonAsync("/developer/billing/top-ups",
            new { partnerId = Partner.PartnerId, environment = "staging", amountCents = 1, reference = "x" })).StatusCode);

        // A partner's own root key is not the operator.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = Partner.TestTenantId, amountCents = 1, reference = "x" })).StatusCode);
        Assert.Equal(0, await BalanceAsync());
    }
}
