using Orleans;
using Orleans.Concurrency;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Resolves credentials to principals. A stateless worker: key it with <see cref="Key"/>.</summary>
[Alias("vectros.ICredentialDirectoryGrain")]
public interface ICredentialDirectoryGrain : IGrainWithStringKey
{
    const string Key = "directory";

    /// <summary>
    /// Resolves a root key from the SHA-256 of its raw text (the raw key never crosses the grain boundary).
    /// Null when the key is unknown or revoked.
    /// </summary>
    [ReadOnly]
    Task<CredentialPrincipal?> FindRootKeyAsync(byte[] keySha256);

    /// <summary>
    /// The environment of a tenant, or null when no such tenant exists: a signed token names its tenant, and the
    /// authenticator still refuses one whose tenant is gone.
    /// </summary>
    [ReadOnly]
    Task<TenantEnvironment?> FindTenantAsync(string tenantId);

    /// <summary>
    /// Whether the tenant's credential <paramref name="credentialId"/> (a root key's id) exists and is revoked: a token
    /// minted by a revoked key ends with it. An id that names no root key is not revoked (it is another kind).
    /// </summary>
    [ReadOnly]
    Task<bool> IsRevokedAsync(string tenantId, string credentialId);
}
