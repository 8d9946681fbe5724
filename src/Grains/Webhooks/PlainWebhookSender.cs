using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// PLACEHOLDER (issue #11 seam): sends without the anti-SSRF address check. Replaced by the checked sender.
/// Keeps the contract: no redirects, connect and total time-outs, extra trusted receiver certificates, never throws.
/// </summary>
public sealed class PlainWebhookSender : IWebhookSender, IDisposable
{
    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    public PlainWebhookSender(IOptions<WebhookOptions> options, TimeProvider time)
    {
        var o = options.Value;
        _time = time;
        var trusted = o.TrustedCertificateThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = o.ConnectTimeout,
            UseCookies = false,
            UseProxy = false,
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
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } at ? at - _time.GetUtcNow() : null)
                : null;
            return new WebhookSendResult((int)response.StatusCode, Elapsed(started), null, null, retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(null, Elapsed(started), null, e is HttpRequestException ? "connection failed" : "timed out", null);
        }
    }

    private long Elapsed(long started) => (long)_time.GetElapsedTime(started).TotalMilliseconds;

    public void Dispose() => _client.Dispose();
}
