using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;

namespace Vectros.Contract.Tests;

/// <summary><c>GET /v1/models</c> answers in the spec's ModelsResponse shape.</summary>
public sealed class ModelContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Models_answer_in_the_spec_shape()
    {
        await ContractAssert.MatchesResponseAsync("listInferenceModels", await Client.GetAsync("/v1/models"));
    }
}
