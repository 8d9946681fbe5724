using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Webhooks;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>A server that may deliver to one HTTPS receiver on loopback (its allow-listed host and port) and nowhere else inside.</summary>
public sealed class WebhookSsrfFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public HttpsReceiver Receiver { get; private set; } = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    /// <summary>This server's allow-listed receiver host: its own name, so flipping it cannot disturb other classes.</summary>
    public string Host { get; } = $"ssrf-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";

    public string UrlFor(string path) => $"https://{Host}:{Receiver.Port}{path}";

    public async Task InitializeAsync()
    {
        Receiver = await HttpsReceiver.StartAsync();
        _db = await TestDatabase.CreateAsync("ssrf");
        TestDnsServer.Shared.SetAddresses(Host, IPAddress.Loopback);
        var settings = WebhookTestBed.Settings(Receiver);
        settings["Vectros:Webhooks:AllowedLoopbackTarget"] = $"{Host}:{Receiver.Port}";
        Server = await VectrosTestServer.StartAsync(_db.ConnectionString, settings);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Anti-SSRF at send time (issue #11 item 4): before every attempt the host is resolved again through the (flippable)
/// test DNS server and every answer is checked; a name flipped to loopback, private, link-local or an IPv4-mapped
/// loopback address gets nothing sent, although the receiver is listening right there. Only the one allow-listed
/// host:port reaches loopback.
/// </summary>
public sealed class WebhookSsrfTests(WebhookSsrfFixture fixture) : IClassFixture<WebhookSsrfFixture>
{
    private static readonly Dictionary<string, string> _headers = new() { ["webhook-id"] = "msg_test" };

    private IWebhookSender Sender => fixture.Server.Services.GetRequiredService<IWebhookSender>();

    private HttpsReceiver Receiver => fixture.Receiver;

    [Fact]
    public async Task The_allow_listed_receiver_is_reached_over_TLS_at_the_checked_address()
    {
        var before = Received("/allowed");
        var result = await SendAsync(fixture.UrlFor("/allowed"));
        Assert.Equal(200, result.StatusCode);
        Assert.False(result.Blocked);
        Assert.Equal("127.0.0.1", result.ResolvedAddress);
        Assert.Equal(before + 1, Received("/allowed"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.0.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::1")]
    [InlineData("100.64.0.1")]
    public async Task A_name_flipped_to_an_inside_address_gets_nothing_sent(string inside)
    {
        // The receiver listens on loopback at this port, so a sender that trusted the answer would reach it.
        var host = $"flip-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        var path = "/" + Guid.NewGuid().ToString("N");
        TestDnsServer.Shared.SetAddresses(host, IPAddress.Parse(inside));
        var result = await SendAsync($"https://{host}:{Receiver.Port}{path}");
        Assert.True(result.Blocked);
        Assert.Null(result.StatusCode);
        Assert.Equal(IPAddress.Parse(inside).ToString(), result.ResolvedAddress);
        Assert.Equal(0, Received(path));
    }

    [Fact]
    public async Task The_allow_listed_host_flipped_to_a_private_address_is_refused_and_flipped_back_is_reached()
    {
        var path = "/" + Guid.NewGuid().ToString("N");
        var url = fixture.UrlFor(path);
        Assert.Equal(200, (await SendAsync(url)).StatusCode);
        try
        {
            TestDnsServer.Shared.SetAddresses(fixture.Host, IPAddress.Parse("10.0.0.1"));
            Assert.True((await SendAsync(url)).Blocked);
            TestDnsServer.Shared.SetAddresses(fixture.Host, IPAddress.Loopback, IPAddress.Parse("10.0.0.1"));
            Assert.True((await SendAsync(url)).Blocked);
        }
        finally
        {
            TestDnsServer.Shared.SetAddresses(fixture.Host, IPAddress.Loopback);
        }

        Assert.Equal(1, Received(path));
    }

    [Fact]
    public async Task One_inside_answer_among_public_ones_refuses_the_attempt()
    {
        var host = $"mixed-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        TestDnsServer.Shared.SetAddresses(host, IPAddress.Parse("93.184.215.14"), IPAddress.Parse("192.168.1.10"));
        var result = await SendAsync($"https://{host}:{Receiver.Port}/mixed");
        Assert.True(result.Blocked);
        Assert.Equal("192.168.1.10", result.ResolvedAddress);
    }

    [Fact]
    public async Task The_allow_list_is_one_host_and_one_port()
    {
        // Same host, another port: refused (not merely "connection refused" by an empty port).
        var otherPort = await SendAsync($"https://{fixture.Host}:{Receiver.Port + 1}/x");
        Assert.True(otherPort.Blocked);

        // Another name on the same loopback address and port: refused, and the receiver hears nothing.
        var host = $"alias-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        TestDnsServer.Shared.SetAddresses(host, IPAddress.Loopback);
        var path = "/" + Guid.NewGuid().ToString("N");
        Assert.True((await SendAsync($"https://{host}:{Receiver.Port}{path}")).Blocked);
        Assert.Equal(0, Received(path));

        // An address literal is judged the same way.
        Assert.True((await SendAsync($"https://127.0.0.1:{Receiver.Port}{path}")).Blocked);
        Assert.Equal(0, Received(path));
    }

    [Fact]
    public async Task A_name_that_does_not_resolve_fails_closed()
    {
        var result = await SendAsync($"https://gone-{Guid.NewGuid():N}.{WebhookTestBed.Domain}/x");
        Assert.True(result.Blocked);
        Assert.Null(result.StatusCode);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public async Task Redirects_are_not_followed()
    {
        var path = "/" + Guid.NewGuid().ToString("N");
        var target = "/" + Guid.NewGuid().ToString("N");
        var previous = Receiver.Respond;
        Receiver.Respond = r => r.Path == path
            ? (302, new Dictionary<string, string> { ["Location"] = fixture.UrlFor(target) })
            : previous(r);
        try
        {
            var result = await SendAsync(fixture.UrlFor(path));
            Assert.Equal(302, result.StatusCode);
            Assert.False(result.Succeeded);
        }
        finally
        {
            Receiver.Respond = previous;
        }

        Assert.Equal(1, Received(path));
        Assert.Equal(0, Received(target));
    }

    [Fact]
    public async Task Registration_checks_refuse_http_addresses_credentials_unverified_domains_and_inside_answers()
    {
        var policy = fixture.Server.Services.GetRequiredService<IWebhookTargetPolicy>();
        var partner = await fixture.Server.CreatePartnerAsync("ssrf-policy");
        var url = fixture.UrlFor("/hooks");

        // Before the domain is verified, even the receiver's URL is refused.
        await AssertRefusedAsync(policy, partner.PartnerId, url, "not on a verified domain");

        using var op = fixture.Server.CreateClient(VectrosTestServer.OperatorToken);
        await WebhookTestBed.PrepareDomainAsync(op, partner.PartnerId);
        Assert.Equal(new Uri(url), await policy.CheckAsync(partner.PartnerId, url, CancellationToken.None));

        await AssertRefusedAsync(policy, partner.PartnerId, $"http://{fixture.Host}:{Receiver.Port}/hooks", "https");
        await AssertRefusedAsync(policy, partner.PartnerId, $"https://127.0.0.1:{Receiver.Port}/hooks", "not an address");
        await AssertRefusedAsync(policy, partner.PartnerId, $"https://[::1]:{Receiver.Port}/hooks", "not an address");
        await AssertRefusedAsync(policy, partner.PartnerId, $"https://user:pw@{fixture.Host}:{Receiver.Port}/hooks", "credentials");
        await AssertRefusedAsync(policy, partner.PartnerId, "ftp://files.vectros.test/x", "https");
        await AssertRefusedAsync(policy, partner.PartnerId, "not a url", "absolute");
        // A look-alike that merely ends with the domain's letters is not below it.
        await AssertRefusedAsync(policy, partner.PartnerId, $"https://evil{WebhookTestBed.Domain}/hooks", "not on a verified domain");

        // A subdomain is covered, unless it resolves inside.
        var inside = $"metadata-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        TestDnsServer.Shared.SetAddresses(inside, IPAddress.Parse("169.254.169.254"));
        await AssertRefusedAsync(policy, partner.PartnerId, $"https://{inside}/hooks", "169.254.169.254");
        var outside = $"public-{Guid.NewGuid():N}.{WebhookTestBed.Domain}";
        TestDnsServer.Shared.SetAddresses(outside, IPAddress.Parse("93.184.215.14"));
        Assert.NotNull(await policy.CheckAsync(partner.PartnerId, $"https://{outside}/hooks", CancellationToken.None));

        // Another partner has not verified the domain.
        var other = await fixture.Server.CreatePartnerAsync("ssrf-policy-other");
        await AssertRefusedAsync(policy, other.PartnerId, url, "not on a verified domain");
    }

    private static async Task AssertRefusedAsync(IWebhookTargetPolicy policy, Guid partnerId, string url, string reason)
    {
        var e = await Assert.ThrowsAsync<ValidationException>(() => policy.CheckAsync(partnerId, url, CancellationToken.None));
        Assert.Equal("url", e.Field);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    private Task<WebhookSendResult> SendAsync(string url) =>
        Sender.SendAsync(new Uri(url), _headers, "{}"u8.ToArray(), CancellationToken.None);

    private int Received(string path) => Receiver.Received.Count(r => r.Path == path);
}
