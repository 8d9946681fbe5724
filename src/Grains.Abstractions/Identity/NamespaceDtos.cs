using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Identity;

/// <summary>
/// A scope-namespace registration (API-DELTA-0.40 §8.2, NamespaceResponse). <see cref="ContextId"/> is the owning
/// app context, or null for a tenant-wide registration.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.NamespaceView")]
public sealed record NamespaceView
{
    [Id(0)]
    public required string Namespace { get; init; }

    [Id(1)]
    public string? ContextId { get; init; }

    [Id(2)]
    public required int SpecificityRank { get; init; }

    [Id(3)]
    public bool EntityBacked { get; init; }

    [Id(4)]
    public Guid? DefaultSchemaId { get; init; }

    [Id(5)]
    public string? MembershipRecordType { get; init; }

    [Id(6)]
    public string? MembershipTargetField { get; init; }

    [Id(7)]
    public string? MembershipContextId { get; init; }

    [Id(8)]
    public string? MembershipLevelField { get; init; }

    [Id(9)]
    public IReadOnlyList<string>? MembershipLevels { get; init; }

    [Id(10)]
    public required DateTimeOffset CreatedAt { get; init; }

    [Id(11)]
    public required DateTimeOffset UpdatedAt { get; init; }

    [Id(12)]
    public required long Version { get; init; }

    /// <summary><c>org</c> and <c>client</c>: names every tenant has, registered like any other (CL 0.40).</summary>
    public bool Reserved => Namespace is OwnershipScopes.Org or OwnershipScopes.Client;

    /// <summary>Where the registration and its entities live: the owning context, or <see cref="NamespaceRules.TenantHome"/>.</summary>
    public string Home => ContextId ?? NamespaceRules.TenantHome;
}

/// <summary>
/// The settable fields of a registration (NamespaceRequest without the name). On register, <see cref="SpecificityRank"/>
/// is required; on update every null keeps the stored value.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.NamespaceDefinition")]
public sealed record NamespaceDefinition
{
    [Id(0)]
    public int? SpecificityRank { get; init; }

    [Id(1)]
    public bool? EntityBacked { get; init; }

    [Id(2)]
    public Guid? DefaultSchemaId { get; init; }

    [Id(3)]
    public string? MembershipRecordType { get; init; }

    [Id(4)]
    public string? MembershipTargetField { get; init; }

    [Id(5)]
    public string? MembershipContextId { get; init; }

    [Id(6)]
    public string? MembershipLevelField { get; init; }

    [Id(7)]
    public IReadOnlyList<string>? MembershipLevels { get; init; }
}

/// <summary>A page of registrations ordered by name; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("vectros.NamespacePage")]
public sealed record NamespacePage([property: Id(0)] IReadOnlyList<NamespaceView> Data, [property: Id(1)] string? NextCursor);

/// <summary>
/// The namespace an entity request works in, resolved from the route and <c>?contextId=</c> (§8.3): the
/// entity-backed registration and the home its entities live in (<see cref="NamespaceView.Home"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.EntityNamespace")]
public sealed record EntityNamespace([property: Id(0)] NamespaceView Registration)
{
    public string Namespace => Registration.Namespace;

    public string Home => Registration.Home;
}
