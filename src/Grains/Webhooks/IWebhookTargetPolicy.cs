namespace Vectros.Grains.Webhooks;

/// <summary>
/// Decides whether a partner may point a webhook at a URL: <c>https://</c> (plain http only with
/// <see cref="WebhookOptions.AllowHttp"/>), on a domain the partner verified or a subdomain of one, not an address
/// literal in a blocked range. Throws <c>ValidationException("url", …)</c> with a clear reason otherwise.
/// </summary>
public interface IWebhookTargetPolicy
{
    Task<Uri> CheckAsync(Guid partnerId, string url, CancellationToken cancellationToken);
}
