using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// The anti-SSRF and verified-domain rules through the portal and the real delivery path (issue #11 items 1, 4, 10):
/// a URL off the partner's verified domains, on plain http, at an address, or resolving inside is a 400 with nothing
/// written; a registered host whose DNS answer flips inside gets its attempt recorded as refused and nothing sent.
/// </summary>
public sealed class WebhookTargetRefusalTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    [Fact]
    public async Task Unverified_plain_http_address_and_inside_urls_are_400_and_nothing_is_written()
    {
        var partner = await fixture.Server.CreatePartnerAsync("refusals");
        var port = fixture.Receiver.Port;
        // Not yet verified: even the receiver's own URL is refused.
        await AssertRefusedAsync(partner.PartnerId, WebhookTestBed.UrlFor(fixture.Receiver, "/r"));
        await WebhookTestBed.PrepareDomainAsync(fixture.Operator, partner.PartnerId);

        var inside = $"inside-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        TestDnsServer.Shared.SetAddresses(inside, IPAddress.Parse("10.0.0.1"));
        foreach (var url in new[]
        {
            $"http://{WebhookTestBed.Host}:{port}/r",
            $"https://127.0.0.1:{port}/r",
            $"https://[::ffff:127.0.0.1]:{port}/r",
            $"https://{inside}/r",
            "https://hooks.not-verified.example/r",
            $"https://evil{WebhookTestBed.Domain}/r",
        })
        {
            await AssertRefusedAsync(partner.PartnerId, url);
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM webhook_registrations WHERE tenant_id = $1", partner.TestTenantId));
    }

    [Fact]
    public async Task A_registered_host_flipped_inside_gets_its_attempt_refused_and_nothing_sent()
    {
        var partner = await fixture.Server.CreatePartnerAsync("flip");
        await WebhookTestBed.PrepareDomainAsync(fixture.Operator, partner.PartnerId);
        // A public answer at registration; the DNS then flips to the receiver's own loopback address (not allow-listed
        // for this name), where a sender that trusted the answer would succeed.
        var host = $"flip-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        var path = "/" + Guid.NewGuid().ToString("N");
        TestDnsServer.Shared.SetAddresses(host, IPAddress.Parse("93.184.215.14"));
        var created = await fixture.Operator.PostAsJsonAsync("/developer/webhooks", new
        {
            partnerId = partner.PartnerId,
            environment = "test",
            url = $"https://{host}:{fixture.Receiver.Port}{path}",
            eventTypes = new[] { "record.indexed" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("registration").GetProperty("id").GetString();

        TestDnsServer.Shared.SetAddresses(host, IPAddress.Loopback);
        await fixture.InsertEventAsync(partner.TestTenantId, "record.indexed");
        JsonElement attempt = default;
        await Poll.UntilAsync(async () =>
        {
            var attempts = await fixture.GetJsonAsync($"/developer/webhooks/{id}/attempts");
            var data = attempts.GetProperty("data");
            if (data.GetArrayLength() == 0)
            {
                return false;
            }

            attempt = data[0];
            return true;
        }, "the refused attempt recorded");

        Assert.Contains("127.0.0.1", attempt.ToString(), StringComparison.Ordinal);
        Assert.Contains("blocked", attempt.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(fixture.ReceivedOn(path));
    }

    private async Task AssertRefusedAsync(Guid partnerId, string url)
    {
        var response = await fixture.Operator.PostAsJsonAsync("/developer/webhooks", new
        {
            partnerId,
            environment = "test",
            url,
            eventTypes = new[] { "record.indexed" },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal("url", JsonDocument.Parse(body).RootElement.GetProperty("details").GetProperty("field").GetString());
    }

    private async Task<long> CountAsync(string sql, string tenantId)
    {
        await using var command = fixture.Db.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

/// <summary>
/// Tenant teardown with the real registrations (issue #11 item 7): the final <c>tenant.deleted</c> reaches the
/// partner's receiver, signed, before the registrations go; the other environment's registration hears nothing.
/// </summary>
public sealed class TenantDeletedDeliveryTests(WebhookServerFixture fixture) : IClassFixture<WebhookServerFixture>
{
    [Fact]
    public async Task The_final_tenant_deleted_delivery_goes_out_before_the_registrations_are_removed()
    {
        var partner = await fixture.Server.CreatePartnerAsync("teardown-hooks");
        var testPath = "/" + Guid.NewGuid().ToString("N");
        var livePath = "/" + Guid.NewGuid().ToString("N");
        var registered = await fixture.RegisterAsync(partner.PartnerId, "test", testPath, ["record.indexed"]);
        await fixture.RegisterAsync(partner.PartnerId, "live", livePath, ["record.indexed"]);
        var secret = registered.GetProperty("secret").GetString()!;

        var delete = await fixture.Operator.DeleteAsync($"/developer/tenants/{partner.TestTenantId}?confirm={partner.TestTenantId}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await TenantTeardownSupport.StatusesUntilDeletedAsync(fixture.Operator, partner.TestTenantId);

        var received = Assert.Single(fixture.ReceivedOn(testPath));
        var envelope = JsonDocument.Parse(received.BodyText).RootElement;
        Assert.Equal("tenant.deleted", envelope.GetProperty("type").GetString());
        Assert.Equal(partner.TestTenantId, envelope.GetProperty("tenantId").GetString());
        Assert.False(envelope.GetProperty("livemode").GetBoolean());
        Assert.True(WebhookSignatures.HmacMatches(received, secret), "tenant.deleted is signed with the registration's secret");
        Assert.Empty(fixture.ReceivedOn(livePath));

        await using var command = fixture.Db.CreateCommand("SELECT count(*) FROM webhook_registrations WHERE tenant_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = partner.TestTenantId });
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
