using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Keys;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>Spec CreateScopedKeyRequest (L5476). Nullable so a missing field is a 400 naming it, not a parse error.</summary>
public sealed record CreateScopedKeyRequest(string? KeyName, string? TenantId, string? ContextId, string? UserId, string? Label);

/// <summary>
/// Spec ScopedKeyResponse (L5394). <c>rawKey</c> is set only in the 201 of the create that minted the key; absent fields
/// (label, revokedAt, lastUsedAt) are omitted.
/// </summary>
public sealed record ScopedKeyResponse(
    string KeyId,
    string? RawKey,
    string KeyName,
    string? Label,
    string TenantId,
    string ContextId,
    string UserId,
    string UserType,
    string Status,
    string KeyType,
    string AccessProfileRef,
    string CreatedAt,
    string? RevokedAt,
    string? LastUsedAt)
{
    public static ScopedKeyResponse From(ScopedKeyView key, string? rawKey = null) => new(
        key.KeyId, rawKey, key.KeyName, key.Label, key.TenantId, key.ContextId, key.UserId, key.UserType, key.Status, "scoped",
        AccessKeys.Of(key.TenantId, key.ContextId, PrincipalIds.ForUser(key.UserId)),
        Timestamps.Format(key.CreatedAt),
        key.RevokedAt is { } revoked ? Timestamps.Format(revoked) : null,
        key.LastUsedAt is { } used ? Timestamps.Format(used) : null);
}
