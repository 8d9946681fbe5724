using System.Collections.Concurrent;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Tenants this front end has started tearing down. The credential caches hold a principal for up to
/// <see cref="ApiOptions.CredentialCacheTime"/>; a tenant listed here is refused at once, even on a cache hit. Other
/// front ends refuse it when their cache entries lapse (the directory no longer resolves the tenant's credentials).
/// Tenant ids are never reused, so an entry never needs to go.
/// </summary>
public sealed class TenantRevocations
{
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);

    public void Revoke(string tenantId) => _revoked.TryAdd(tenantId, 0);

    public bool IsRevoked(string tenantId) => _revoked.ContainsKey(tenantId);
}
