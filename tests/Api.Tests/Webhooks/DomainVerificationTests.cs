using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// Verified domains (issue #11 item 1): a claim answers a DNS TXT challenge; verify asks DNS (the tests' own server on
/// loopback) and succeeds only when the partner's value is published; bad names are 400 and write nothing.
/// </summary>
public sealed class DomainVerificationTests : ApiTestBase
{
    [Fact]
    public async Task A_domain_is_verified_once_its_TXT_challenge_is_published()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var name = $"d{Guid.NewGuid():N}"[..12] + ".Example.TEST.";
        var claim = await op.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = name });
        Assert.Equal(HttpStatusCode.Created, claim.StatusCode);
        var domain = await JsonAsync(claim);
        var id = domain.GetProperty("domainId").GetString()!;
        Assert.Equal(name.ToLowerInvariant().TrimEnd('.'), domain.GetProperty("domain").GetString());
        Assert.Equal("pending", domain.GetProperty("status").GetString());
        var challenge = domain.GetProperty("challenge");
        Assert.Equal("TXT", challenge.GetProperty("type").GetString());
        Assert.Equal("_vectros-challenge." + domain.GetProperty("domain").GetString(), challenge.GetProperty("name").GetString());
        var value = challenge.GetProperty("value").GetString()!;
        Assert.StartsWith("vectros-domain-verification=", value, StringComparison.Ordinal);

        // The same claim again is the same domain (200), not a second one.
        var again = await op.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = name });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await JsonAsync(again)).GetProperty("domainId").GetString());

        // Nothing published: 409 saying so, still pending, the failure kept on the domain.
        var early = await op.PostAsync($"/developer/domains/{id}/verify", null);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("DOMAIN_NOT_VERIFIED", (await JsonAsync(early)).GetProperty("errorCode").GetString());
        var pending = await op.GetFromJsonAsync<JsonElement>($"/developer/domains/{id}");
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Contains("No TXT record", pending.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        // Another value at the name (another partner's claim) does not verify this one.
        TestDnsServer.Shared.AddText(challenge.GetProperty("name").GetString()!, "vectros-domain-verification=someone-else");
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync($"/developer/domains/{id}/verify", null)).StatusCode);

        TestDnsServer.Shared.AddText(challenge.GetProperty("name").GetString()!, value);
        var verified = await op.PostAsync($"/developer/domains/{id}/verify", null);
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var body = await JsonAsync(verified);
        Assert.Equal("verified", body.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("verifiedAt").ValueKind);

        var list = await op.GetFromJsonAsync<JsonElement>($"/developer/domains?partnerId={Partner.PartnerId}");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), d => d.GetProperty("domainId").GetString() == id);

        Assert.Equal(HttpStatusCode.NoContent, (await op.DeleteAsync($"/developer/domains/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/developer/domains/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsync($"/developer/domains/{id}/verify", null)).StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("com")]
    [InlineData("10.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("localhost")]
    [InlineData("printer.local")]
    [InlineData("bad_label.example.com")]
    [InlineData("-dash.example.com")]
    [InlineData("example.123")]
    [InlineData("a..example.com")]
    public async Task A_name_that_cannot_be_a_public_domain_is_400_and_nothing_is_claimed(string name)
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var before = await ClaimedAsync();
        var response = await op.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = name });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("domain", (await JsonAsync(response)).GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await ClaimedAsync());
    }

    [Fact]
    public async Task Unknown_partners_and_ids_are_404_bad_bodies_400_and_the_operator_token_is_required()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        var before = await ClaimedAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/developer/domains", new { partnerId = Guid.NewGuid(), domain = "x.example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/developer/domains", new { domain = "x.example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = "x.example.com", extra = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/developer/domains")).StatusCode);
        foreach (var id in new[] { "dom_" + Guid.NewGuid().ToString("N"), "nope", "dom_' OR 1=1 --" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await op.GetAsync($"/developer/domains/{Uri.EscapeDataString(id)}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsync($"/developer/domains/{Uri.EscapeDataString(id)}/verify", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await op.DeleteAsync($"/developer/domains/{Uri.EscapeDataString(id)}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = "x.example.com" })).StatusCode);
        Assert.Equal(before, await ClaimedAsync());
    }

    [Fact]
    public async Task A_failing_name_server_fails_verification_closed()
    {
        using var op = Server.CreateClient(VectrosTestServer.OperatorToken);
        // A name the test DNS server does not know answers NXDOMAIN: nothing published, not verified.
        var claim = await JsonAsync(await op.PostAsJsonAsync("/developer/domains", new { partnerId = Partner.PartnerId, domain = $"n{Guid.NewGuid():N}.invalid-zone.test" }));
        Assert.Equal(HttpStatusCode.Conflict, (await op.PostAsync($"/developer/domains/{claim.GetProperty("domainId").GetString()}/verify", null)).StatusCode);
    }

    private async Task<long> ClaimedAsync()
    {
        await using var command = Db.CreateCommand("SELECT count(*) FROM verified_domains WHERE partner_id = $1");
        command.Parameters.Add(new() { Value = Partner.PartnerId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
