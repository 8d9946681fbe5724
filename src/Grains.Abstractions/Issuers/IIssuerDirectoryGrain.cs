using Orleans;
using Orleans.Concurrency;

namespace Vectros.Grains.Abstractions.Issuers;

/// <summary>
/// Platform-wide lookup of registrations by the token's own <c>iss</c>: an exchange carries no credential, so the
/// token names its tenant. Stateless and uncached, so a deleted issuer stops matching at once.
/// </summary>
[Alias("vectros.IIssuerDirectoryGrain")]
public interface IIssuerDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "0";

    /// <summary>Every active registration of <paramref name="issuer"/> (at most one per audience).</summary>
    [ReadOnly]
    Task<IReadOnlyList<IssuerView>> FindByIssuerAsync(string issuer);
}
