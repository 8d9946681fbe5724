using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>One tenant (a partner's live or test environment), keyed by its tenant id; owns the tenant's teardown.</summary>
[Alias("vectros.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>The tenant's status; null when no tenant with this id exists or ever existed.</summary>
    Task<TenantStatusView?> GetStatusAsync();

    /// <summary>
    /// Starts the teardown: from now on the tenant's credentials are refused and one durable job deletes everything.
    /// Idempotent: while deleting (or once deleted) it returns the status of the same job. NotFoundException for an unknown tenant.
    /// </summary>
    Task<TenantStatusView> StartTeardownAsync();

    /// <summary>Called by the teardown job when everything is gone.</summary>
    Task MarkDeletedAsync();
}
