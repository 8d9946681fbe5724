using Orleans;
using Orleans.Concurrency;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Names a partner's environment by tenant id, also once the tenant is torn down (key 0).</summary>
[Alias("vectros.ITenantDirectoryGrain")]
public interface ITenantDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>The environment's tenant id, or the one last torn down; null when the partner never had it.</summary>
    [ReadOnly]
    Task<string?> TenantOfAsync(Guid partnerId, TenantEnvironment environment);
}
