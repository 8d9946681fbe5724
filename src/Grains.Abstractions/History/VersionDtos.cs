using System.Text.Json.Nodes;
using Orleans;

namespace Vectros.Grains.Abstractions.History;

/// <summary>One field's before/after in a diff (spec ChangedField). Sensitive fields never appear.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ChangedFieldView")]
public sealed record ChangedFieldView([property: Id(0)] string Name, [property: Id(1)] JsonNode? SourceVal, [property: Id(2)] JsonNode? TargetVal);

/// <summary>Spec ModelChanges: the field-level diff of one write.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ChangeSetView")]
public sealed record ChangeSetView([property: Id(0)] string Summary, [property: Id(1)] IReadOnlyList<string> Fields, [property: Id(2)] int Count, [property: Id(3)] IReadOnlyDictionary<string, ChangedFieldView> Details);

/// <summary>One immutable history row (spec ModelDataVersionResponse).</summary>
[GenerateSerializer, Immutable, Alias("vectros.VersionView")]
public sealed record VersionView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ChangeType,
    [property: Id(2)] string? PreviousContent,
    [property: Id(3)] long? PreviousVersion,
    [property: Id(4)] string? ChangeReason,
    [property: Id(5)] string ChangedBy,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] ChangeSetView? ChangedFields);

/// <summary>A page of history, newest first; the cursor is opaque to clients.</summary>
[GenerateSerializer, Immutable, Alias("vectros.VersionPage")]
public sealed record VersionPage([property: Id(0)] IReadOnlyList<VersionView> Data, [property: Id(1)] string? NextCursor);

/// <summary>A place where an entity's hash chain does not verify.</summary>
[GenerateSerializer, Alias("vectros.ChainBreak")]
public sealed record ChainBreak([property: Id(0)] string TenantId, [property: Id(1)] string ContextId, [property: Id(2)] string EntityKind, [property: Id(3)] string EntityId, [property: Id(4)] long Seq, [property: Id(5)] string Problem);
