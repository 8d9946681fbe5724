using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Kinds of credential a request can carry (spec PingResponse.principalType).</summary>
[GenerateSerializer, Alias("vectros.CredentialKind")]
public enum CredentialKind
{
    RootKey,
    ScopedKey,
    Token,
}

/// <summary>What a valid credential resolves to before the front end picks the context and actions.</summary>
[GenerateSerializer, Immutable, Alias("vectros.CredentialPrincipal")]
public sealed record CredentialPrincipal(
    [property: Id(0)] string TenantId,
    [property: Id(1)] TenantEnvironment Environment,
    [property: Id(2)] Guid PartnerId,
    [property: Id(3)] CredentialKind Kind,
    [property: Id(4)] string CredentialId,
    [property: Id(5)] string? Label);
