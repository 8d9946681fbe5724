namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec PingResponse (L8219). Conditional fields are null (omitted) unless the credential kind has them.</summary>
public sealed record PingResponse(
    string Status,
    string TenantId,
    string Environment,
    string PrincipalType,
    string PrincipalKeyId,
    string? PrincipalLabel = null,
    IReadOnlyList<string>? AllowedActions = null,
    PingDataScope? DataScope = null,
    long? TokenExpiresAt = null);

/// <summary>
/// Ping's identity binding: 0.40 <c>{userId, scopes[]}</c> (API-DELTA §8.7) with the 0.31 <c>orgId</c> (spec
/// DataScope L8204) alongside, where the binding has one.
/// </summary>
public sealed record PingDataScope(string? UserId, IReadOnlyList<string>? Scopes, string? OrgId);
