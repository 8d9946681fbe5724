using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;

namespace Vectros.Contract.Tests;

/// <summary>
/// <c>GET /v1/models</c> with an OpenAI-compatible model configured beside the local answerer (plan tiers, a region
/// premium, global availability) still answers in the spec's ModelsResponse shape.
/// </summary>
public sealed class OpenAiModelContractTests
{
    [SpecFact]
    public async Task Models_with_an_OpenAI_entry_answer_in_the_spec_shape()
    {
        await using var db = await TestDatabase.CreateAsync("modelscontract");
        await using var fake = await FakeChatServer.StartAsync();
        await using var server = await VectrosTestServer.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Inference:Models:0:Id"] = "team-gpt",
            ["Vectros:Inference:Models:0:Provider"] = "OpenAI",
            ["Vectros:Inference:Models:0:Backend"] = "OpenAI",
            ["Vectros:Inference:Models:0:BaseUrl"] = fake.BaseUrl,
            ["Vectros:Inference:Models:0:AllowPrivateNetwork"] = "true",
            ["Vectros:Inference:Models:0:ApiKey"] = "sk-contract",
            ["Vectros:Inference:Models:0:AvailableOn:0"] = "scale",
            ["Vectros:Inference:Models:0:InputCreditsPer1kTokens"] = "0.3",
            ["Vectros:Inference:Models:0:OutputCreditsPer1kTokens"] = "1.2",
            ["Vectros:Inference:Models:0:RegionPremiumFactor"] = "1.25",
            ["Vectros:Inference:Models:0:GlobalAvailable"] = "true",
        });
        var partner = await server.CreatePartnerAsync(nameof(OpenAiModelContractTests));
        using var client = server.CreateClient(partner.TestKey.RawKey);

        await ContractAssert.MatchesResponseAsync("listInferenceModels", await client.GetAsync("/v1/models"));
    }
}
