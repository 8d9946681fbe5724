using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Tokens;

namespace Vectros.Grains.Tokens;

/// <summary>Serves the silo's <see cref="SigningKeyRing"/> to front ends and admin commands.</summary>
[StatelessWorker]
public sealed class SigningKeyGrain(SigningKeyRing ring) : Grain, ISigningKeyGrain
{
    async Task<PublishedSigningKeys> ISigningKeyGrain.GetPublishedKeysAsync() => await ring.GetPublishedAsync();

    Task<string> ISigningKeyGrain.RotateAsync() => ring.RotateAsync();
}
