using Orleans;

namespace Vectros.Grains.Abstractions.Domains;

/// <summary>Remembers the nonces of signed developer-portal calls (stateless worker over a table; key 0).</summary>
public interface IPortalNonceGrain : IGrainWithIntegerKey
{
    /// <summary>Records the nonce; false when it was seen before (a replay).</summary>
    Task<bool> TryUseAsync(string nonce);
}
