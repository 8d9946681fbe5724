namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec TokenRequest (L9712) plus the 0.40 <c>contextId</c> (API-DELTA §8.7).</summary>
public sealed record TokenRequest(string? UserId, ScopeRequest? Scope, int? ExpiresInSeconds, string? ContextId);

/// <summary>
/// Spec ScopeRequest (L9629): 0.31 keys (<c>orgId</c>, <c>clientId</c>) and 0.40 keys (<c>scope:&lt;ns&gt;</c>)
/// are both accepted in <c>identity</c> and <c>dataScope</c>.
/// </summary>
public sealed record ScopeRequest(
    IReadOnlyList<string>? AllowedActions,
    IReadOnlyDictionary<string, string>? Identity,
    IReadOnlyDictionary<string, IReadOnlyList<string?>>? DataScope);

/// <summary>Spec MintTokenResponse (L9608): <c>expiresAt</c> in epoch seconds, the token's <c>exp</c>.</summary>
public sealed record MintTokenResponse(string Token, long ExpiresAt);

/// <summary>Spec JwksResponse (L5277).</summary>
public sealed record JwksResponse(IReadOnlyList<Jwk> Keys);

/// <summary>Spec Jwk (L5242): an EC P-256 public key for ES256.</summary>
public sealed record Jwk(string Kty, string Crv, string X, string Y, string Use, string Kid, string Alg);
