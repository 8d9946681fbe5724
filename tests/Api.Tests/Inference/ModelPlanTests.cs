using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Inference;

/// <summary>
/// Spec 402 on chat, RAG and ask: "the requested model is not available on your plan". On a server of its own whose
/// local model is offered on the pro plan only, a free partner is refused before any charge, and the same call works
/// once an operator moves the partner to pro.
/// </summary>
public sealed class ModelPlanTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private VectrosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("modelplan");
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Inference:LocalModel:AvailableOn:0"] = "pro",
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task A_model_outside_the_plan_is_402_until_the_plan_includes_it()
    {
        var partner = await _server.CreatePartnerAsync("modelplan");
        using var client = _server.CreateClient(partner.TestKey.RawKey);
        using var op = _server.CreateClient(VectrosTestServer.OperatorToken);
        Assert.Equal(HttpStatusCode.Created, (await op.PostAsJsonAsync("/developer/billing/top-ups",
            new { tenantId = partner.TestTenantId, amountCents = 500, reference = "plan-test" })).StatusCode);
        var chat = new { messages = new[] { new { role = "user", content = "Hello" } } };

        using (var refused = await client.PostAsJsonAsync("/v1/chat", chat))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, refused.StatusCode);
            var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("SUBSCRIPTION_LIMIT_EXCEEDED", body.GetProperty("errorCode").GetString());
            Assert.Contains("'free' plan", body.GetProperty("message").GetString());
        }

        var usage = await client.GetFromJsonAsync<JsonElement>("/v1/usage");
        Assert.Equal(500, usage.GetProperty("inference").GetProperty("balanceCents").GetInt64());

        Assert.Equal(HttpStatusCode.OK, (await op.PutAsJsonAsync($"/developer/partners/{partner.PartnerId}/plan", new { plan = "pro" })).StatusCode);
        await Poll.UntilAsync(async () =>
        {
            using var response = await client.PostAsJsonAsync("/v1/chat", chat);
            return response.StatusCode == HttpStatusCode.OK;
        }, "the pro plan admits the model");
    }
}
