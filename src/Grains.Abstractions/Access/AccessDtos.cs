using Orleans;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>A role (spec RoleResponse L5853): a named, reusable set of scope clauses in one app context.</summary>
[GenerateSerializer, Immutable, Alias("vectros.AccessRoleView")]
public sealed record AccessRoleView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string RoleId,
    [property: Id(3)] string Name,
    [property: Id(4)] string? Description,
    [property: Id(5)] IReadOnlyList<ScopeClause> Scopes,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset LastModified,
    [property: Id(8)] long Version)
{
    /// <summary>The spec's composite id <c>tenant#ctx#role</c>.</summary>
    public string Id => $"{TenantId}#{ContextId}#{RoleId}";
}

/// <summary>
/// An access profile (spec AccessProfileResponse L5625): the permission row for one principal in one app context,
/// with inline <see cref="Scopes"/> XOR a <see cref="RoleId"/>. <see cref="IdentityOverrides"/> keys are <c>scope:&lt;ns&gt;</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.AccessProfileView")]
public sealed record AccessProfileView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string PrincipalId,
    [property: Id(3)] IReadOnlyList<ScopeClause>? Scopes,
    [property: Id(4)] string? RoleId,
    [property: Id(5)] IReadOnlyDictionary<string, string> IdentityOverrides,
    [property: Id(6)] string Status,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset LastModified,
    [property: Id(9)] long Version)
{
    public const string Active = "active";
    public const string Suspended = "suspended";

    /// <summary>The spec's composite id <c>tenant#ctx#principal</c>.</summary>
    public string Id => $"{TenantId}#{ContextId}#{PrincipalId}";
}

/// <summary>
/// What a principal may do in a context, resolved now: the profile's inline clauses or its role's current clauses
/// (a role change applies to every profile that references it), its status and identity overrides. Token minting
/// and scoped keys read this; a suspended profile mints nothing (spec L5770).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.EffectiveAccess")]
public sealed record EffectiveAccess(
    [property: Id(0)] string ContextId,
    [property: Id(1)] string PrincipalId,
    [property: Id(2)] string Status,
    [property: Id(3)] IReadOnlyList<ScopeClause> Clauses,
    [property: Id(4)] IReadOnlyDictionary<string, string> IdentityOverrides,
    [property: Id(5)] string? RoleId)
{
    public bool IsActive => Status == AccessProfileView.Active;
}

/// <summary>Create/update of a role; on update every null keeps the stored value.</summary>
[GenerateSerializer, Immutable, Alias("vectros.RoleWrite")]
public sealed record RoleWrite(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Description,
    [property: Id(2)] IReadOnlyList<ScopeClause>? Scopes);

/// <summary>
/// Create/update of a profile. Giving <see cref="Scopes"/> clears the role and giving <see cref="RoleId"/> clears the
/// scopes; null keeps. <see cref="IdentityOverrides"/>: null = unchanged, empty = clear, populated = replace.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ProfileWrite")]
public sealed record ProfileWrite(
    [property: Id(0)] IReadOnlyList<ScopeClause>? Scopes,
    [property: Id(1)] string? RoleId,
    [property: Id(2)] IReadOnlyDictionary<string, string>? IdentityOverrides,
    [property: Id(3)] string? Status);

/// <summary>
/// Who writes a role or profile, with what authority: root keys are exempt from the delegation cap and the override
/// rules; a scoped caller brings its own clauses (<see cref="Clauses"/>), its identity values (<c>scope:&lt;ns&gt;</c> →
/// value) and its own principal (for <c>self</c> and for "the caller's own profile").
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.AccessActor")]
public sealed record AccessActor(
    [property: Id(0)] CallerContext Caller,
    [property: Id(1)] string? PrincipalId,
    [property: Id(2)] IReadOnlyList<ScopeClause> Clauses,
    [property: Id(3)] IReadOnlyDictionary<string, string> Identity)
{
    public bool IsRoot => Caller.IsRoot;
}

[GenerateSerializer, Immutable, Alias("vectros.AccessRoleCreateResult")]
public sealed record AccessRoleCreateResult([property: Id(0)] AccessRoleView Role, [property: Id(1)] bool Created);

[GenerateSerializer, Immutable, Alias("vectros.AccessProfileCreateResult")]
public sealed record AccessProfileCreateResult([property: Id(0)] AccessProfileView Profile, [property: Id(1)] bool Created);

[GenerateSerializer, Immutable, Alias("vectros.AccessRolePage")]
public sealed record AccessRolePage([property: Id(0)] IReadOnlyList<AccessRoleView> Data, [property: Id(1)] string? NextCursor);

[GenerateSerializer, Immutable, Alias("vectros.AccessProfilePage")]
public sealed record AccessProfilePage([property: Id(0)] IReadOnlyList<AccessProfileView> Data, [property: Id(1)] string? NextCursor);
