using Orleans;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Teardown;

namespace Vectros.Grains.Accounts;

/// <summary>
/// One tenant, keyed by its tenant id; owns its teardown. The state lives in <c>tenant_teardowns</c> and is read on
/// every call rather than cached: the teardown job advances the progress row by row from whichever silo holds its lease.
/// </summary>
public sealed class TenantGrain(TenantTeardownStore store) : Grain, ITenantGrain
{
    Task<TenantStatusView?> ITenantGrain.GetStatusAsync() => store.LoadAsync(this.GetPrimaryKeyString());

    async Task<TenantStatusView> ITenantGrain.StartTeardownAsync()
    {
        var tenantId = this.GetPrimaryKeyString();
        var current = await store.LoadAsync(tenantId) ?? throw new NotFoundException("No tenant exists with this id.");
        if (current.Status == TenantStatus.Active)
        {
            // False only when a concurrent start won; either way one job exists now.
            await store.StartAsync(tenantId);
        }

        return await store.LoadAsync(tenantId) ?? throw new NotFoundException("No tenant exists with this id.");
    }

    Task ITenantGrain.MarkDeletedAsync() => store.MarkDeletedAsync(this.GetPrimaryKeyString());
}
