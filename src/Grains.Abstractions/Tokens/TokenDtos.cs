using Orleans;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.Grains.Abstractions.Tokens;

/// <summary>
/// What a token may do: the spec's ScopeRequest, already validated and normalised to the 0.40 keys: one clause. A token
/// that carries an access profile whole (the token exchange) also has <see cref="Clauses"/>, all of the profile's
/// clauses with their capabilities; <see cref="AllowedActions"/> and <see cref="DataScope"/> then describe the first,
/// for 0.31 readers of the token and for ping.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.TokenScope")]
public sealed record TokenScope(
    [property: Id(0)] IReadOnlyList<string> AllowedActions,
    [property: Id(1)] IReadOnlyDictionary<string, IReadOnlyList<string?>> DataScope,
    [property: Id(2)] IReadOnlyDictionary<string, string> Identity,
    [property: Id(3)] IReadOnlyList<Access.ScopeClause>? Clauses = null);

/// <summary>A mint request from a root key of <see cref="Environment"/>, for <see cref="ContextId"/>.</summary>
[GenerateSerializer, Immutable, Alias("vectros.MintTokenCommand")]
public sealed record MintTokenCommand(
    [property: Id(0)] TenantEnvironment Environment,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string? UserId,
    [property: Id(3)] TokenScope Scope,
    [property: Id(4)] TimeSpan Lifetime,
    [property: Id(5)] string MintedBy);

/// <summary>The token (<c>st_</c> + compact JWS), its expiry and its unique id (<c>jti</c>).</summary>
[GenerateSerializer, Immutable, Alias("vectros.MintedToken")]
public sealed record MintedToken(
    [property: Id(0)] string Token,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string TokenId);

/// <summary>One public signing key: an EC P-256 point (base64url x and y) and its key id.</summary>
[GenerateSerializer, Immutable, Alias("vectros.PublishedSigningKey")]
public sealed record PublishedSigningKey(
    [property: Id(0)] string Kid,
    [property: Id(1)] string X,
    [property: Id(2)] string Y,
    [property: Id(3)] DateTimeOffset ActivatedAt,
    [property: Id(4)] DateTimeOffset? PublishUntil);

/// <summary>The keys to verify with, and the issuer and audience every token carries.</summary>
[GenerateSerializer, Immutable, Alias("vectros.PublishedSigningKeys")]
public sealed record PublishedSigningKeys(
    [property: Id(0)] string Issuer,
    [property: Id(1)] string Audience,
    [property: Id(2)] IReadOnlyList<PublishedSigningKey> Keys);
