using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.Contract.Tests.Spec;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Contract.Tests;

/// <summary>The verified-domain portal bodies against their own shapes (Delta040/domains.yaml).</summary>
public sealed class DomainContractTests : ApiTestBase
{
    [SpecFact]
    public async Task Claim_get_verify_and_list_answer_the_portal_shapes()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var claim = await op.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = $"c{Guid.NewGuid():N}.vectros.test" });
        Assert.Equal(HttpStatusCode.Created, claim.StatusCode);
        var body = await claim.Content.ReadAsStringAsync();
        ContractAssert.MatchesDelta("DomainResponse", body);
        var domain = JsonDocument.Parse(body).RootElement;
        var id = domain.GetProperty("domainId").GetString();
        var challenge = domain.GetProperty("challenge");
        TestDnsServer.Shared.AddText(challenge.GetProperty("name").GetString()!, challenge.GetProperty("value").GetString()!);

        var verified = await op.PostAsync($"/developer/domains/{id}/verify", null);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        ContractAssert.MatchesDelta("DomainResponse", await verified.Content.ReadAsStringAsync());
        ContractAssert.MatchesDelta("DomainResponse", await op.GetStringAsync($"/developer/domains/{id}"));
        ContractAssert.MatchesDelta("DomainList", await op.GetStringAsync($"/developer/domains?partnerId={Partner.PartnerId}"));
    }
}
