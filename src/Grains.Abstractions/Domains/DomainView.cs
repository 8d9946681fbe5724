using Orleans;

namespace Vectros.Grains.Abstractions.Domains;

/// <summary>
/// A domain a partner claims for its webhook URLs, and the DNS TXT challenge that proves it: publish
/// <see cref="ChallengeValue"/> as a TXT record at <see cref="ChallengeName"/>, then verify.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.DomainView")]
public sealed record DomainView(
    [property: Id(0)] string DomainId,
    [property: Id(1)] Guid PartnerId,
    [property: Id(2)] string Domain,
    [property: Id(3)] string Status,
    [property: Id(4)] string ChallengeName,
    [property: Id(5)] string ChallengeValue,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? VerifiedAt,
    [property: Id(8)] DateTimeOffset? LastCheckedAt,
    [property: Id(9)] string? LastError,
    [property: Id(10)] bool Created = false);
