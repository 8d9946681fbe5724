using Orleans;

namespace Vectros.Grains.Abstractions.Domains;

/// <summary>The partners' claimed domains across the cluster (a stateless worker over the table; key 0).</summary>
public interface IDomainDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Claims a domain for a partner (idempotent: the same partner and domain answer the existing claim).</summary>
    Task<DomainView> ClaimAsync(Guid partnerId, string domain);

    Task<IReadOnlyList<DomainView>> ListAsync(Guid partnerId);

    /// <summary>True when <paramref name="host"/> is a verified domain of the partner or a subdomain of one.</summary>
    Task<bool> CoversAsync(Guid partnerId, string host);
}
