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
    /// Whether a root key is revoked: true when revoked, false when active, null when <paramref name="keyId"/> names no
    /// root key (a token minted by another credential kind is judged elsewhere). A token dies with the key that minted it.
    /// </summary>
    [ReadOnly]
    Task<bool?> IsRootKeyRevokedAsync(string keyId);
}
