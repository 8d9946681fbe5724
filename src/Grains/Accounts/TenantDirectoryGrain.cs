using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Teardown;

namespace Vectros.Grains.Accounts;

/// <summary>Partner + environment → tenant id, also after teardown removed the tenant row. Stateless: a read.</summary>
[StatelessWorker]
public sealed class TenantDirectoryGrain(TenantTeardownStore store) : Grain, ITenantDirectoryGrain
{
    Task<string?> ITenantDirectoryGrain.TenantOfAsync(Guid partnerId, TenantEnvironment environment) => store.TenantOfAsync(partnerId, environment);
}
