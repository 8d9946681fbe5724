namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Kinds of credential a request can carry (spec PingResponse.principalType).</summary>
public enum CredentialKind
{
    RootKey,
    ScopedKey,
    Token,
}

/// <summary>What a valid credential resolves to before the front end picks the context and actions.</summary>
public sealed record CredentialPrincipal(
    string TenantId,
    TenantEnvironment Environment,
    Guid PartnerId,
    CredentialKind Kind,
    string CredentialId,
    string? Label);
