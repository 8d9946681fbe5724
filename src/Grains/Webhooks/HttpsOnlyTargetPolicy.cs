using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Webhooks;

/// <summary>PLACEHOLDER (issue #11 seam): checks the scheme only; the verified-domain and address checks replace it.</summary>
public sealed class HttpsOnlyTargetPolicy(IOptions<WebhookOptions> options) : IWebhookTargetPolicy
{
    public Task<Uri> CheckAsync(Guid partnerId, string url, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && !(options.Value.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ValidationException("url", "url must be an absolute https:// URL.");
        }

        return Task.FromResult(uri);
    }
}
