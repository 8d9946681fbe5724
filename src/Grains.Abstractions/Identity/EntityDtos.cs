using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>
/// An identity entity as a caller may see it (API-DELTA-0.40 §8.3 EntityResponse; the 0.31 OrgResponse and
/// ClientResponse are views of it). <see cref="Payload"/> has every sensitive value masked as <c>[redacted]</c>,
/// or decrypted for a caller holding <c>entities:s:&lt;ns&gt;</c>. <see cref="Scopes"/> are the parents.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.EntityView")]
public sealed record EntityView
{
    [Id(0)]
    public required Guid Id { get; init; }

    [Id(1)]
    public required string Namespace { get; init; }

    [Id(2)]
    public required string ExternalId { get; init; }

    [Id(3)]
    public string? Name { get; init; }

    [Id(4)]
    public required string Status { get; init; }

    [Id(5)]
    public required JsonElement Payload { get; init; }

    [Id(6)]
    public Guid? SchemaId { get; init; }

    [Id(7)]
    public int? SchemaVersion { get; init; }

    [Id(8)]
    public required IReadOnlyList<string> Scopes { get; init; }

    [Id(9)]
    public Guid? UserId { get; init; }

    [Id(10)]
    public required DateTimeOffset CreatedAt { get; init; }

    [Id(11)]
    public required DateTimeOffset UpdatedAt { get; init; }

    [Id(12)]
    public required long Version { get; init; }
}

/// <summary>
/// Create, upsert or PUT input (EntityRequest), shape-checked by the front end. On PUT and upsert a null keeps the
/// stored value; <see cref="Payload"/> and <see cref="Scopes"/>, when given, replace the stored ones whole.
/// <see cref="Scopes"/> are raw <c>ns:value</c> entries: the grain applies the parent rules (<see cref="EntityRules.Parents"/>),
/// because only it knows the entity's own id.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.EntityWrite")]
public sealed record EntityWrite
{
    [Id(0)]
    public string? ExternalId { get; init; }

    [Id(1)]
    public string? Name { get; init; }

    [Id(2)]
    public string? Status { get; init; }

    [Id(3)]
    public JsonObject? Payload { get; init; }

    [Id(4)]
    public Guid? SchemaId { get; init; }

    [Id(5)]
    public IReadOnlyList<string>? Scopes { get; init; }
}

/// <summary>Result of an idempotent create: 201 when <see cref="Created"/>, else 200.</summary>
[GenerateSerializer, Immutable, Alias("vectros.EntityCreateResult")]
public sealed record EntityCreateResult([property: Id(0)] EntityView Entity, [property: Id(1)] bool Created);

/// <summary>A page of entities; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("vectros.EntityPage")]
public sealed record EntityPage([property: Id(0)] IReadOnlyList<EntityView> Data, [property: Id(1)] string? NextCursor);

/// <summary>
/// <c>GET /v1/entities/{ns}</c> and <c>POST …/lookup</c> (§8.3): filters <see cref="UserId"/>, <see cref="ExternalId"/>
/// (alone), <see cref="Scope"/> (any parent, or the entity itself when it names the route's namespace), and the
/// lookup mode <see cref="Type"/>+<see cref="Field"/>+(value | from+to | prefix), the only mode that takes
/// <see cref="Order"/>. <see cref="FromBody"/>: the value travelled in a body, so a sensitive field may be looked up.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.EntityListQuery")]
public sealed record EntityListQuery
{
    [Id(0)]
    public Guid? UserId { get; init; }

    [Id(1)]
    public string? ExternalId { get; init; }

    [Id(2)]
    public string? Scope { get; init; }

    [Id(3)]
    public string? Type { get; init; }

    [Id(4)]
    public string? Field { get; init; }

    [Id(5)]
    public string? Value { get; init; }

    [Id(6)]
    public string? From { get; init; }

    [Id(7)]
    public string? To { get; init; }

    [Id(8)]
    public string? Prefix { get; init; }

    /// <summary>asc | desc; null = asc.</summary>
    [Id(9)]
    public string? Order { get; init; }

    [Id(10)]
    public string? StartFrom { get; init; }

    [Id(11)]
    public int Limit { get; init; } = 20;

    [Id(12)]
    public bool FromBody { get; init; }

    /// <summary>Whether this is a type/field lookup.</summary>
    public bool IsLookup => Type is not null || Field is not null || Value is not null || From is not null || To is not null || Prefix is not null;
}
