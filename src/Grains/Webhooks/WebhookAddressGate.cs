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
    public IPAddress? FindRefused(Uri url, IEnumerable<IPAddress> addresses)
    {
        var allowLoopback = _loopbackTarget is { } t && string.Equals(t.Host, url.IdnHost, StringComparison.OrdinalIgnoreCase) && t.Port == url.Port;
        return addresses.FirstOrDefault(a => BlockedAddresses.IsBlocked(a) && !(allowLoopback && IPAddress.IsLoopback(a)));
    }
}
