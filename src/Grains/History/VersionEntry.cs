using System.Text.Json.Nodes;

namespace Vectros.Grains.History;

/// <summary>
/// A history row about to be written. <see cref="PreviousContent"/> and <see cref="ChangedFields"/> must already
/// have every sensitive value removed: history is immutable, so what goes in stays (issue #3 §7).
/// </summary>
public sealed record VersionEntry(
    string TenantId,
    string ContextId,
    string EntityKind,
    string EntityId,
    string ChangeType,
    long? PreviousVersion,
    JsonObject? PreviousContent,
    JsonObject? ChangedFields,
    string? ChangeReason,
    string ChangedBy,
    DateTimeOffset At);
