using Orleans;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.Grains.Abstractions.Keys;

/// <summary>
/// A scoped key's metadata (spec ScopedKeyResponse L5394). The raw key is never part of it: it exists only in the one
/// <see cref="ScopedKeyCreated"/> that minted it.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ScopedKeyView")]
public sealed record ScopedKeyView(
    [property: Id(0)] string KeyId,
    [property: Id(1)] string KeyName,
    [property: Id(2)] string? Label,
    [property: Id(3)] string TenantId,
    [property: Id(4)] string ContextId,
    [property: Id(5)] string UserId,
    [property: Id(6)] string UserType,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset? RevokedAt,
    [property: Id(9)] DateTimeOffset? LastUsedAt)
{
    public string Status => RevokedAt is null ? "active" : "revoked";
}

/// <summary>Create input, already checked for presence and form by the front end (and again by the grain).</summary>
[GenerateSerializer, Immutable, Alias("vectros.ScopedKeyCreate")]
public sealed record ScopedKeyCreate(
    [property: Id(0)] string KeyName,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string UserId,
    [property: Id(3)] string? Label);

/// <summary><see cref="RawKey"/> is set only when <see cref="Created"/>: an idempotent repeat never re-discloses it.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ScopedKeyCreated")]
public sealed record ScopedKeyCreated(
    [property: Id(0)] ScopedKeyView Key,
    [property: Id(1)] string? RawKey,
    [property: Id(2)] bool Created);

[GenerateSerializer, Immutable, Alias("vectros.ScopedKeyPage")]
public sealed record ScopedKeyPage(
    [property: Id(0)] IReadOnlyList<ScopedKeyView> Data,
    [property: Id(1)] string? NextCursor);

/// <summary>
/// What an active key's hash resolves to for authentication: its binding only. The authority comes from the bound
/// access profile, read afresh whenever the front end's short credential cache expires.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ScopedKeyBinding")]
public sealed record ScopedKeyBinding(
    [property: Id(0)] string TenantId,
    [property: Id(1)] TenantEnvironment Environment,
    [property: Id(2)] string ContextId,
    [property: Id(3)] string KeyId,
    [property: Id(4)] string UserId,
    [property: Id(5)] string? Label,
    [property: Id(6)] string? DelegationChain);
