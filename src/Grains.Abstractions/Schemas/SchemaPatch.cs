using System.Text.Json.Nodes;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>
/// A schema PUT (spec L4307): null means "keep"; a collection that is present replaces the stored one whole.
/// <see cref="TypeName"/>, when given, must equal the schema's (it is immutable).
/// </summary>
public sealed record SchemaPatch
{
    public string? TypeName { get; init; }

    public string? DisplayName { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<FieldDefinition>? Fields { get; init; }

    public IReadOnlyList<LookupDefinition>? LookupFields { get; init; }

    public JsonObject? RenderHints { get; init; }

    public IReadOnlyDictionary<string, bool>? Capabilities { get; init; }

    public string? IndexMode { get; init; }

    public string? StorageProfile { get; init; }

    public IReadOnlyList<string>? AllowedSurfaces { get; init; }

    public bool? Active { get; init; }

    public Guid? UserId { get; init; }

    public Guid? OrgId { get; init; }

    public Guid? ClientId { get; init; }
}
