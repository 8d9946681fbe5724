using System.Net;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary><c>GET /v1/models</c>: the local answerer is always listed, with the spec's pricing fields.</summary>
public sealed class ModelsApiTests : ApiTestBase
{
    [Fact]
    public async Task Lists_the_local_model_as_default_with_region_pricing()
    {
        var response = await Client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("vectros-extractive", body.RootElement.GetProperty("defaultModel").GetString());
        var model = body.RootElement.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "vectros-extractive");
        Assert.Equal("Vectros", model.GetProperty("provider").GetString());
        Assert.Equal(5, model.GetProperty("availableOn").GetArrayLength());
        var pricing = model.GetProperty("regionPricing");
        Assert.Equal(model.GetProperty("inputCreditsPer1kTokens").GetDouble(), pricing.GetProperty("base").GetProperty("input").GetDouble());
        Assert.Equal(1.0, pricing.GetProperty("regionPremiumFactor").GetDouble());
    }

    [Fact]
    public async Task Needs_a_credential()
    {
        using var anonymous = new HttpClient { BaseAddress = Server.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/models")).StatusCode);
    }
}
