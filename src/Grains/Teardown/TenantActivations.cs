using Orleans;
using Orleans.Runtime;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Drops every activation, of any grain type on any silo, whose key names the tenant (tenant-level grains are keyed
/// by the tenant id, context-scoped ones <c>tenant#context#…</c>, usage grains by tenant and month). Deactivation
/// flushes what grains buffer (usage counts), so teardown deactivates before it deletes, and again at the end so no
/// silo serves cached rows of a deleted tenant. Tenant ids are random, so a key containing one belongs to it.
/// </summary>
public sealed class TenantActivations(IGrainFactory grains)
{
    /// <summary>Deactivates the tenant's activations; returns how many.</summary>
    public async Task<int> DeactivateAsync(string tenantId, CancellationToken cancellationToken)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var stats = await management.GetDetailedGrainStatistics(types: null, hostsIds: null, cancellationToken);
        var count = 0;
        foreach (var id in stats.Select(s => s.GrainId).Distinct())
        {
            if (id.Key.ToString().Contains(tenantId, StringComparison.Ordinal))
            {
                await management.DeactivateGrain(id, cancellationToken);
                count++;
            }
        }

        return count;
    }
}
