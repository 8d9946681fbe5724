using System.Net;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// <c>GET /v1/models</c> on a server configured with an OpenAI-compatible model beside the local answerer: both are
/// listed, with the configured rates as <c>base</c> and base × <c>regionPremiumFactor</c> as <c>us</c>; the key never
/// appears in the catalog.
/// </summary>
public sealed class ModelsApiOpenAiTests : IAsyncLifetime
{
    private const string ApiKey = "sk-models-api-SECRET-7";

    private TestDatabase _db = null!;
    private FakeChatServer _fake = null!;
    private VectrosTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("models");
        _fake = await FakeChatServer.StartAsync();
        var settings = _fake.ModelSettings("team-gpt", upstreamModel: "gpt-4o-mini");
        settings["Vectros:Inference:DefaultModel"] = "team-gpt";
        settings["Vectros:Inference:Models:0:Name"] = "Team GPT";
        settings["Vectros:Inference:Models:0:ApiKey"] = ApiKey;
        settings["Vectros:Inference:Models:0:ContextWindow"] = "128000";
        settings["Vectros:Inference:Models:0:AvailableOn:0"] = "pro";
        settings["Vectros:Inference:Models:0:AvailableOn:1"] = "enterprise";
        settings["Vectros:Inference:Models:0:GlobalAvailable"] = "true";
        _server = await VectrosTestServer.StartAsync(_db.ConnectionString, settings);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _fake.DisposeAsync();
        await _db.DisposeAsync();
    }

    [Fact]
    public async Task Both_models_are_listed_with_base_and_US_pricing()
    {
        var partner = await _server.CreatePartnerAsync(nameof(ModelsApiOpenAiTests));
        using var client = _server.CreateClient(partner.TestKey.RawKey);

        var response = await client.GetAsync("/v1/models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.BaseUrl, text, StringComparison.Ordinal);
        using var body = JsonDocument.Parse(text);
        Assert.Equal("team-gpt", body.RootElement.GetProperty("defaultModel").GetString());
        var models = body.RootElement.GetProperty("models").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(["team-gpt", "vectros-extractive"], models.Keys.Order(StringComparer.Ordinal));

        var gpt = models["team-gpt"];
        Assert.Equal("Team GPT", gpt.GetProperty("name").GetString());
        Assert.Equal("OpenAI", gpt.GetProperty("provider").GetString());
        Assert.Equal(128000, gpt.GetProperty("contextWindow").GetInt32());
        Assert.Equal(["pro", "enterprise"], gpt.GetProperty("availableOn").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(0.1, gpt.GetProperty("inputCreditsPer1kTokens").GetDouble());
        Assert.Equal(0.5, gpt.GetProperty("outputCreditsPer1kTokens").GetDouble());
        var pricing = gpt.GetProperty("regionPricing");
        Assert.Equal((0.1, 0.5), Rates(pricing.GetProperty("base")));
        Assert.Equal((0.11, 0.55), Rates(pricing.GetProperty("us")));
        Assert.Equal(1.1, pricing.GetProperty("regionPremiumFactor").GetDouble());
        Assert.True(pricing.GetProperty("globalAvailable").GetBoolean());
    }

    private static (double Input, double Output) Rates(JsonElement rates) =>
        (rates.GetProperty("input").GetDouble(), rates.GetProperty("output").GetDouble());
}
