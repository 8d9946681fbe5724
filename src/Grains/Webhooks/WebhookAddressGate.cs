using System.Net;
using Microsoft.Extensions.Options;
using Vectros.Grains.Network;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// Which resolved addresses a webhook URL may reach: none in <see cref="BlockedAddresses"/>, except the loopback
/// answers of the one allow-listed <c>host:port</c> (<see cref="WebhookOptions.AllowedLoopbackTarget"/>). Used when a
/// URL is registered and again before every attempt.
/// </summary>
public sealed class WebhookAddressGate(IOptions<WebhookOptions> options)
{
    private readonly (string Host, int Port)? _loopbackTarget = LoopbackTarget.Parse(options.Value.AllowedLoopbackTarget);

    /// <summary>The first address the URL must not reach, or null when all may be used.</summary>
    public IPAddress? FindRefused(Uri url, IEnumerable<IPAddress> addresses) =>
        BlockedAddresses.FirstRefused(addresses, MayReachLoopback(url.IdnHost, url.Port));

    /// <summary>Whether loopback answers may pass for this host and port: only for the one allow-listed target.</summary>
    public bool MayReachLoopback(string host, int port) =>
        _loopbackTarget is { } t && string.Equals(t.Host, host, StringComparison.OrdinalIgnoreCase) && t.Port == port;
}
