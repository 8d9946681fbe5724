using Orleans;

namespace Vectros.Grains.Abstractions.Users;

/// <summary>A shape-checked CreateInviteRequest (spec L9954); <see cref="AccessProfileJson"/> is the AccessProfileSpec as JSON.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InviteCommand")]
public sealed record InviteCommand
{
    [Id(0)]
    public required string Email { get; init; }

    [Id(1)]
    public required string ContextId { get; init; }

    [Id(2)]
    public required string AccessProfileJson { get; init; }

    /// <summary>The role named by the access profile, if any: it must exist in the context (400 naming accessProfile.roleId).</summary>
    [Id(3)]
    public string? RoleId { get; init; }

    [Id(4)]
    public string? FirstName { get; init; }

    [Id(5)]
    public required TimeSpan Ttl { get; init; }

    /// <summary>The access profile's inline scope clauses (shape-checked), when it grants by scopes rather than a role.</summary>
    [Id(6)]
    public IReadOnlyList<Access.ScopeClause>? Scopes { get; init; }
}

/// <summary>An issued (or rotated) invitation: <see cref="Token"/> is the raw <c>inv_…</c> token, shown once.</summary>
[GenerateSerializer, Immutable, Alias("vectros.InviteIssued")]
public sealed record InviteIssued(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string Token,
    [property: Id(3)] bool Resent);
