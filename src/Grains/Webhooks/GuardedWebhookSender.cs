using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Grains.Network;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// The anti-SSRF sender (issue #11 item 4). Before every attempt the host is resolved again and every A/AAAA answer is
/// checked against <see cref="BlockedAddresses"/>; one bad answer refuses the attempt (a rebinding name often answers
/// good and bad side by side). The connection is then made to the checked address only, through
/// <see cref="SocketsHttpHandler.ConnectCallback"/>, while TLS still validates and sends SNI for the host name.
/// Connections are not pooled, so no later attempt rides a connection made under an earlier answer. Redirects are
/// never followed. The single exception is <see cref="WebhookOptions.AllowedLoopbackTarget"/>: one host and port whose
/// loopback answers are let through, for development and tests.
/// </summary>
public sealed partial class GuardedWebhookSender : IWebhookSender, IDisposable
{
    private static readonly HttpRequestOptionsKey<IPAddress> _checkedAddress = new("vectros.webhook.checked-address");

    private readonly HttpClient _client;
    private readonly IHostResolver _resolver;
    private readonly TimeProvider _time;
    private readonly ILogger<GuardedWebhookSender> _logger;
    private readonly WebhookAddressGate _gate;

    public GuardedWebhookSender(IOptions<WebhookOptions> options, IHostResolver resolver, WebhookAddressGate gate, TimeProvider time, ILogger<GuardedWebhookSender> logger)
    {
        var o = options.Value;
        _resolver = resolver;
        _time = time;
        _logger = logger;
        _gate = gate;
        var trusted = o.TrustedCertificateThumbprints.Select(t => t.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = o.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.Zero,
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = ConnectToCheckedAddressAsync,
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
        var host = url.IdnHost;
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await _resolver.ResolveAddressesAsync(host, cancellationToken);
        }
        catch (HostResolutionException e)
        {
            // Fail closed: no answer is not permission to try something else.
            return new WebhookSendResult(null, Elapsed(started), null, e.Message, null, Blocked: true);
        }

        if (addresses.Count == 0)
        {
            return new WebhookSendResult(null, Elapsed(started), null, $"{host} has no address.", null, Blocked: true);
        }

        if (_gate.FindRefused(url, addresses) is { } refused)
        {
            LogRefused(_logger, host, refused);
            return new WebhookSendResult(null, Elapsed(started), refused.ToString(), $"Refused: {host} resolves to {refused}, a blocked address.", null, Blocked: true);
        }

        var target = addresses[0];
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ReadOnlyMemoryContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Options.Set(_checkedAddress, target);
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var retryAfter = response.Headers.RetryAfter is { } ra
                ? ra.Delta ?? (ra.Date is { } at ? at - _time.GetUtcNow() : null)
                : null;
            return new WebhookSendResult((int)response.StatusCode, Elapsed(started), target.ToString(), null, retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = e is HttpRequestException h ? $"Connection failed ({h.HttpRequestError})." : "Timed out.";
            return new WebhookSendResult(null, Elapsed(started), target.ToString(), error, null);
        }
    }

    /// <summary>Connects to the address <see cref="SendAsync"/> checked for this request, never to a fresh lookup.</summary>
    private static async ValueTask<Stream> ConnectToCheckedAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(_checkedAddress, out var address))
        {
            throw new HttpRequestException("No checked address for this request.");
        }

        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private long Elapsed(long started) => (long)_time.GetElapsedTime(started).TotalMilliseconds;

    public void Dispose() => _client.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook to {Host} refused: it resolves to the blocked address {Address}")]
    private static partial void LogRefused(ILogger logger, string host, IPAddress address);
}
