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
    IReadOnlyDictionary<string, string>? DataScope = null,
    long? TokenExpiresAt = null);
