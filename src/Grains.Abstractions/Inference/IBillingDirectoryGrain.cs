using Orleans;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.Grains.Abstractions.Inference;

/// <summary>Resolves a partner's environment to its tenant id for <c>POST /developer/billing/top-ups</c> (key 0).</summary>
[Alias("vectros.IBillingDirectoryGrain")]
public interface IBillingDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Null when the partner does not exist.</summary>
    Task<string?> TenantOfAsync(Guid partnerId, TenantEnvironment environment);
}
