using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Tokens;

namespace Vectros.Grains.Abstractions.Issuers;

/// <summary>
/// The external issuers of one tenant, keyed by tenant id. One activation per tenant also serialises self-signup, so
/// two first sign-ins of the same subject cannot create two users.
/// </summary>
[Alias("vectros.IIssuerRegistryGrain")]
public interface IIssuerRegistryGrain : IGrainWithStringKey
{
    /// <summary>Idempotent by issuerId (201/200 <c>created</c>); root callers only.</summary>
    Task<IssuerCreateResult> CreateAsync(CallerContext caller, TenantEnvironment environment, IssuerWrite write);

    [ReadOnly]
    Task<IssuerPage> ListAsync(CallerContext caller, string? startFrom, int limit);

    /// <summary>The issuer; 404 when missing.</summary>
    [ReadOnly]
    Task<IssuerView> GetAsync(CallerContext caller, string issuerId);

    /// <summary>409 once the issuer has bound a user; 404 when missing.</summary>
    Task DeleteAsync(CallerContext caller, string issuerId);

    /// <summary>
    /// Finds the user bound to the verified subject, or signs one up under a self-signup policy, and mints a one-hour
    /// <c>st_</c> token scoped by the user's access profile. 404 unknown issuer; 403 no profile, suspended, no policy.
    /// </summary>
    Task<MintedToken> SignInAsync(ExternalSignIn signIn);
}
