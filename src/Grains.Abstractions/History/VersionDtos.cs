using System.Text.Json.Nodes;

namespace Vectros.Grains.Abstractions.History;

/// <summary>One field's before/after in a diff (spec ChangedField). Sensitive fields never appear.</summary>
public sealed record ChangedFieldView(string Name, JsonNode? SourceVal, JsonNode? TargetVal);

/// <summary>Spec ModelChanges: the field-level diff of one write.</summary>
public sealed record ChangeSetView(string Summary, IReadOnlyList<string> Fields, int Count, IReadOnlyDictionary<string, ChangedFieldView> Details);

/// <summary>One immutable history row (spec ModelDataVersionResponse).</summary>
public sealed record VersionView(
    Guid Id,
    string ChangeType,
    string? PreviousContent,
    long? PreviousVersion,
    string? ChangeReason,
    string ChangedBy,
    DateTimeOffset CreatedAt,
    ChangeSetView? ChangedFields);

/// <summary>A page of history, newest first; the cursor is opaque to clients.</summary>
public sealed record VersionPage(IReadOnlyList<VersionView> Data, string? NextCursor);

/// <summary>A place where an entity's hash chain does not verify.</summary>
public sealed record ChainBreak(string TenantId, string ContextId, string EntityKind, string EntityId, long Seq, string Problem);
