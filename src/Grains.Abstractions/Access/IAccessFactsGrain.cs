using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// Looks up, for one request, the membership and parent facts a scoped caller's placeholders resolve against
/// (API-DELTA §8.2: "resolved on every request, so revocation is immediate"). A stateless worker keyed by tenant id;
/// nothing is cached, so adding or removing a membership record changes the very next request.
/// </summary>
[Alias("vectros.IAccessFactsGrain")]
public interface IAccessFactsGrain : IGrainWithStringKey
{
    /// <summary><paramref name="identity"/> with its <see cref="AccessIdentity.Memberships"/> and <see cref="AccessIdentity.Children"/> filled in.</summary>
    Task<AccessIdentity> ResolveAsync(string contextId, AccessIdentity identity, AccessFactsNeed need);
}
