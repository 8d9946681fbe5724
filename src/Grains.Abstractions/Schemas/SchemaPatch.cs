using System.Text.Json.Nodes;
using Orleans;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>
/// A schema PUT (spec L4307): null means "keep"; a collection that is present replaces the stored one whole.
/// <see cref="TypeName"/>, when given, must equal the schema's (it is immutable).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.SchemaPatch")]
public sealed record SchemaPatch
{
    [Id(0)]
    public string? TypeName { get; init; }

    [Id(1)]
    public string? DisplayName { get; init; }

    [Id(2)]
    public string? Description { get; init; }

    [Id(3)]
    public IReadOnlyList<FieldDefinition>? Fields { get; init; }

    [Id(4)]
    public IReadOnlyList<LookupDefinition>? LookupFields { get; init; }

    [Id(5)]
    public JsonObject? RenderHints { get; init; }

    [Id(6)]
    public IReadOnlyDictionary<string, bool>? Capabilities { get; init; }

    [Id(7)]
    public string? IndexMode { get; init; }

    [Id(8)]
    public string? StorageProfile { get; init; }

    [Id(9)]
    public IReadOnlyList<string>? AllowedSurfaces { get; init; }

    [Id(10)]
    public bool? Active { get; init; }

    [Id(11)]
    public Guid? UserId { get; init; }

    [Id(12)]
    public Guid? OrgId { get; init; }

    [Id(13)]
    public Guid? ClientId { get; init; }

    /// <summary>The whole 0.40 ownership declaration; null keeps it. OrgId/ClientId set one namespace's entry on top.</summary>
    [Id(14)]
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>When given, must equal the stored <c>basedOn</c> (it is immutable).</summary>
    [Id(15)]
    public Guid? BasedOn { get; init; }
}
