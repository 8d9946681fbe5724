using Orleans;

namespace Vectros.Grains.Abstractions.Tokens;

/// <summary>Mints <c>st_</c> scoped tokens for one tenant (key: the tenant id). Stateless: minting reads, never writes.</summary>
[Alias("vectros.ITokenIssuerGrain")]
public interface ITokenIssuerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Signs a token for a user in a context. The context must exist and be active (else NotFoundException, the
    /// uniform 404); the caller has already checked that it is a root key and that the scope parses.
    /// </summary>
    Task<MintedToken> MintAsync(MintTokenCommand command);
}
