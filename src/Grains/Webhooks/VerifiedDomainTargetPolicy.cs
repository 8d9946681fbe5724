using System.Net;
using Microsoft.Extensions.Options;
using Orleans;
using Vectros.Grains.Abstractions.Domains;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Domains;
using Vectros.Grains.Network;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// A webhook URL must be <c>https://</c> (plain http only with <see cref="WebhookOptions.AllowHttp"/>), carry no
/// credentials or fragment, name a host (not an address) on one of the partner's verified domains, and not resolve to a
/// blocked address now. A name that does not resolve yet is accepted: every attempt checks again and fails closed.
/// </summary>
public sealed class VerifiedDomainTargetPolicy(IOptions<WebhookOptions> options, IGrainFactory grains, IHostResolver resolver, WebhookAddressGate gate)
    : IWebhookTargetPolicy
{
    public const int MaxUrlLength = 2048;

    public async Task<Uri> CheckAsync(Guid partnerId, string url, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw Invalid("url is required (an https:// URL on a verified domain).");
        }

        if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw Invalid($"url must be an absolute https:// URL of at most {MaxUrlLength} characters.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(options.Value.AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        {
            throw Invalid(uri.Scheme == Uri.UriSchemeHttp
                ? "url must use https:// (plain http:// is accepted only with the development setting Vectros:Webhooks:AllowHttp)."
                : "url must use https://.");
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw Invalid("url must not carry credentials or a fragment.");
        }

        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            throw Invalid("url must name a host on a verified domain, not an address.");
        }

        var host = DomainNames.Normalize(uri.IdnHost, "url");
        if (!await grains.GetGrain<IDomainDirectoryGrain>(0).CoversAsync(partnerId, host))
        {
            throw Invalid($"url's host {host} is not on a verified domain of this partner: claim and verify the domain first (POST /developer/domains).");
        }

        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = await resolver.ResolveAddressesAsync(host, cancellationToken);
        }
        catch (HostResolutionException)
        {
            return uri;
        }

        return gate.FindRefused(uri, addresses) is { } refused
            ? throw Invalid($"url's host {host} resolves to {refused}, a private or reserved address that webhooks may not reach.")
            : uri;
    }

    private static ValidationException Invalid(string message) => new("url", message);
}
