using Orleans;
using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.Grains.Webhooks;

/// <summary>Tenant teardown's view of a tenant's registrations (issue #11 item 7), each handled by its own grain.</summary>
public sealed class TenantWebhooks(WebhookRegistrationStore store, IGrainFactory grains) : ITenantWebhooks
{
    public async Task SendTenantDeletedAsync(string tenantId, CancellationToken cancellationToken)
    {
        foreach (var id in await store.IdsOfTenantAsync(tenantId, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await grains.GetGrain<IWebhookRegistrationGrain>(id).SendTenantDeletedAsync();
        }
    }

    public async Task<int> DeleteAllAsync(string tenantId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var id in await store.IdsOfTenantAsync(tenantId, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await grains.GetGrain<IWebhookRegistrationGrain>(id).DeleteAsync();
                deleted++;
            }
            catch (Vectros.Grains.Abstractions.Errors.NotFoundException)
            {
                // Already gone (a repeated teardown step): idempotent.
            }
        }

        return deleted;
    }
}
