using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;

namespace Vectros.Grains.Abstractions.Users;

/// <summary>
/// A user as a caller may see it (spec UserResponse L9735). <see cref="Payload"/> has every sensitive value masked
/// as <c>[redacted]</c>, or decrypted for a caller holding <c>users:s</c>. <see cref="Role"/> is the account role
/// (OWNER | MEMBER), a Vectros extension behind the delta's "last OWNER" rule (§8.8).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.UserView")]
public sealed record UserView
{
    [Id(0)]
    public required Guid Id { get; init; }

    [Id(1)]
    public required string ExternalId { get; init; }

    [Id(2)]
    public string? Email { get; init; }

    [Id(3)]
    public required string Status { get; init; }

    [Id(4)]
    public required string Type { get; init; }

    [Id(5)]
    public required string Role { get; init; }

    [Id(6)]
    public required JsonElement Payload { get; init; }

    [Id(7)]
    public Guid? SchemaId { get; init; }

    [Id(8)]
    public int? SchemaVersion { get; init; }

    [Id(9)]
    public string? ExternalSubject { get; init; }

    [Id(10)]
    public required DateTimeOffset CreatedAt { get; init; }

    [Id(11)]
    public required long Version { get; init; }

    /// <summary>For the read-access log only (never on the wire): what this view disclosed; null = nothing to log.</summary>
    [Id(12)]
    public Logs.ReadDisclosure? Disclosure { get; init; }
}

/// <summary>
/// Create, upsert or PUT input (UserRequest L9810), shape-checked by the front end. A null keeps the stored value;
/// <see cref="Payload"/>, when given, replaces the stored one whole. The invite members only matter on the PUT that
/// activates a PENDING user.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.UserWrite")]
public sealed record UserWrite
{
    [Id(0)]
    public string? ExternalId { get; init; }

    [Id(1)]
    public string? Email { get; init; }

    [Id(2)]
    public string? Status { get; init; }

    [Id(3)]
    public string? Type { get; init; }

    [Id(4)]
    public string? Role { get; init; }

    [Id(5)]
    public JsonObject? Payload { get; init; }

    [Id(6)]
    public Guid? SchemaId { get; init; }

    [Id(7)]
    public string? InviteToken { get; init; }

    [Id(8)]
    public string? ExternalSubject { get; init; }

    [Id(9)]
    public bool? EmailVerifiedAttestation { get; init; }
}

/// <summary>Result of an idempotent create: 201 when <see cref="Created"/>, else 200.</summary>
[GenerateSerializer, Immutable, Alias("vectros.UserCreateResult")]
public sealed record UserCreateResult([property: Id(0)] UserView User, [property: Id(1)] bool Created);

/// <summary>A page of users; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("vectros.UserPage")]
public sealed record UserPage([property: Id(0)] IReadOnlyList<UserView> Data, [property: Id(1)] string? NextCursor);

/// <summary>
/// <c>GET /v1/users</c> and <c>POST /v1/users/lookup</c>: <see cref="ExternalId"/> (alone), or the lookup mode
/// <see cref="Type"/>+<see cref="Field"/>+(value | from+to | prefix), the only mode that takes <see cref="Order"/>.
/// <see cref="FromBody"/>: the value travelled in a body, so a sensitive field may be looked up.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.UserListQuery")]
public sealed record UserListQuery
{
    [Id(0)]
    public string? ExternalId { get; init; }

    [Id(1)]
    public string? Type { get; init; }

    [Id(2)]
    public string? Field { get; init; }

    [Id(3)]
    public string? Value { get; init; }

    [Id(4)]
    public string? From { get; init; }

    [Id(5)]
    public string? To { get; init; }

    [Id(6)]
    public string? Prefix { get; init; }

    [Id(7)]
    public string? Order { get; init; }

    [Id(8)]
    public string? StartFrom { get; init; }

    [Id(9)]
    public int Limit { get; init; } = 20;

    [Id(10)]
    public bool FromBody { get; init; }

    /// <summary>Whether this is a type/field lookup.</summary>
    public bool IsLookup => Type is not null || Field is not null || Value is not null || From is not null || To is not null || Prefix is not null;
}

/// <summary><c>GET /v1/users/exists-by-email</c> (API-DELTA §8.8 UserExistsResponse).</summary>
[GenerateSerializer, Immutable, Alias("vectros.UserExists")]
public sealed record UserExists([property: Id(0)] bool Exists, [property: Id(1)] Guid? UserId, [property: Id(2)] string? Status);
