using System.Net.Security;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Grains.Network;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// The anti-SSRF sender (issue #11 item 4). Every attempt opens a new connection through <see cref="GuardedConnector"/>:
/// the host is resolved again at that moment, every A/AAAA answer is checked (one bad answer refuses the attempt: a
/// rebinding name often answers good and bad side by side), and the socket goes to the checked address only, while TLS
/// still validates and sends SNI for the host name. Connections are not pooled, so no attempt rides a connection made
/// under an earlier answer. Redirects are never followed. The single exception is
/// <see cref="WebhookOptions.AllowedLoopbackTarget"/>: one host and port whose loopback answers pass, for development.
/// </summary>
public sealed partial class GuardedWebhookSender : IWebhookSender, IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger<GuardedWebhookSender> _logger;

    public GuardedWebhookSender(IOptions<WebhookOptions> options, GuardedConnector connector, WebhookAddressGate gate, TimeProvider time, ILogger<GuardedWebhookSender> logger)
    {
        var o = options.Value;
        _time = time;
        _logger = logger;
        var trusted = o.TrustedCertificateThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = o.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.Zero,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = connector.Create(gate.MayReachLoopback),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None
                    || (certificate is not null && trusted.Contains(Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData())))),
            },
        };
        _client = new HttpClient(handler) { Timeout = o.TotalTimeout };
    }

    public async Task<WebhookSendResult> SendAsync(Uri url, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } at ? at - _time.GetUtcNow() : null)
                : null;
            return new WebhookSendResult((int)response.StatusCode, Elapsed(started), Connected(request), null, retryAfter);
        }
        catch (HttpRequestException e) when (e.InnerException is BlockedDestinationException blocked)
        {
            LogRefused(_logger, url.IdnHost, blocked.Address?.ToString() ?? "no address");
            return new WebhookSendResult(null, Elapsed(started), blocked.Address?.ToString(), blocked.Message, null, Blocked: true);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = e is HttpRequestException h ? $"Connection failed ({h.HttpRequestError})." : "Timed out.";
            return new WebhookSendResult(null, Elapsed(started), Connected(request), error, null);
        }
    }

    private static string? Connected(HttpRequestMessage request) =>
        request.Options.TryGetValue(GuardedConnector.ConnectedAddress, out var address) ? address.ToString() : null;

    private long Elapsed(long started) => (long)_time.GetElapsedTime(started).TotalMilliseconds;

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook to {Host} refused before connecting: {Address}")]
    private static partial void LogRefused(ILogger logger, string host, string address);
}
