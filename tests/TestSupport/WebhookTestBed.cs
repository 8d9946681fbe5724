using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vectros.TestSupport;

/// <summary>
/// How a test points a Vectros server at an <see cref="HttpsReceiver"/>: the settings that let the server reach it
/// (trust its certificate, resolve names through <see cref="TestDnsServer"/>, allow-list the receiver's loopback
/// target — one host and port, nothing else) and the URL to register. Every webhook test goes through here, so the
/// anti-SSRF and verified-domain rules are the production ones.
/// </summary>
public static class WebhookTestBed
{
    /// <summary>The verified domain every test partner claims.</summary>
    public const string Domain = "vectros.test";

    /// <summary>The receiver's host name in registered URLs (resolves to 127.0.0.1 through the test DNS server).</summary>
    public const string Host = "hooks." + Domain;

    /// <summary>Server settings for a test server that delivers to <paramref name="receiver"/>.</summary>
    public static Dictionary<string, string?> Settings(HttpsReceiver receiver)
    {
        TestDnsServer.Shared.SetAddresses(Host, IPAddress.Loopback);
        return new()
        {
            ["Vectros:Dns:Servers:0"] = TestDnsServer.Shared.Endpoint,
            ["Vectros:Webhooks:TrustedCertificateThumbprints:0"] = receiver.Thumbprint,
            ["Vectros:Webhooks:AllowedLoopbackTarget"] = $"{Host}:{receiver.Port}",
        };
    }

    /// <summary>A webhook URL on the receiver.</summary>
    public static string UrlFor(HttpsReceiver receiver, string path = "/hooks") => $"https://{Host}:{receiver.Port}{path}";

    /// <summary>Makes <see cref="Domain"/> a verified domain of the partner through the portal (claim, publish TXT, verify).</summary>
    public static async Task PrepareDomainAsync(HttpClient operatorClient, Guid partnerId)
    {
        var claim = await operatorClient.PostAsJsonAsync("/developer/domains", new { partnerId, domain = Domain });
        var claimed = JsonDocument.Parse(await claim.Content.ReadAsStringAsync()).RootElement;
        if (!claim.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Claiming {Domain} failed: {(int)claim.StatusCode} {claimed}");
        }

        var challenge = claimed.GetProperty("challenge");
        TestDnsServer.Shared.AddText(challenge.GetProperty("name").GetString()!, challenge.GetProperty("value").GetString()!);
        var verify = await operatorClient.PostAsync($"/developer/domains/{claimed.GetProperty("domainId").GetString()}/verify", null);
        if (verify.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Verifying {Domain} failed: {(int)verify.StatusCode} {await verify.Content.ReadAsStringAsync()}");
        }
    }
}
