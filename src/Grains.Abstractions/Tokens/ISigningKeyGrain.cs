using Orleans;
using Orleans.Concurrency;

namespace Vectros.Grains.Abstractions.Tokens;

/// <summary>
/// The platform's token signing keys (one set for every tenant, spec getJwks: "the platform's JWT signing public
/// key"). A stateless worker over a key ring every silo reads from PostgreSQL, so every silo signs with the same
/// active key; key it with <see cref="Key"/>.
/// </summary>
[Alias("vectros.ISigningKeyGrain")]
public interface ISigningKeyGrain : IGrainWithStringKey
{
    const string Key = "platform";

    /// <summary>The keys a verifier must accept now: the active key and retired keys whose tokens may still be live.</summary>
    [ReadOnly]
    Task<PublishedSigningKeys> GetPublishedKeysAsync();

    /// <summary>Retires the active key (it stays published until its tokens have expired) and activates a new one.</summary>
    Task<string> RotateAsync();
}
