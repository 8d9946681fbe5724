using Orleans;

namespace Vectros.Grains.Abstractions.Webhooks;

/// <summary>Lists a tenant's registrations (key: the tenant id). Reads only, so a stateless worker.</summary>
[Alias("vectros.IWebhookDirectoryGrain")]
public interface IWebhookDirectoryGrain : IGrainWithStringKey
{
    Task<WebhookPage<WebhookRegistration>> ListAsync(string? cursor, int limit);
}
