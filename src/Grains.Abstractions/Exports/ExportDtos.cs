using Orleans;

namespace Vectros.Grains.Abstractions.Exports;

/// <summary>
/// A validated-shape export request (spec ExportRequest L7740, API-DELTA-0.40 §11): <see cref="Scope"/> is
/// <c>tenant</c> or <c>subject</c>; <see cref="SubjectType"/> is <c>user</c> or a namespace name.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ExportCommand")]
public sealed record ExportCommand(
    [property: Id(0)] string Scope,
    [property: Id(1)] string? SubjectType,
    [property: Id(2)] string? SubjectId,
    [property: Id(3)] string? ExternalId,
    [property: Id(4)] IReadOnlyList<string> ContextScope,
    [property: Id(5)] string Format,
    [property: Id(6)] bool IncludeAuditHistory);

/// <summary>What a completed payload holds (spec ExportManifest L7619).</summary>
[GenerateSerializer, Immutable, Alias("vectros.ExportManifestView")]
public sealed record ExportManifestView(
    [property: Id(0)] string FormatVersion,
    [property: Id(1)] string Format,
    [property: Id(2)] long SizeBytes,
    [property: Id(3)] IReadOnlyList<string> ContextsExported,
    [property: Id(4)] long TotalRecords,
    [property: Id(5)] long TotalDocuments,
    [property: Id(6)] long TotalFolders,
    [property: Id(7)] long TotalIdentities);

/// <summary>An export job as stored (spec ExportRequestResponse L7660, minus the URL the front end signs).</summary>
[GenerateSerializer, Immutable, Alias("vectros.ExportJobView")]
public sealed record ExportJobView(
    [property: Id(0)] string ExportId,
    [property: Id(1)] string Status,
    [property: Id(2)] string Scope,
    [property: Id(3)] string? SubjectType,
    [property: Id(4)] string? SubjectId,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? CompletedAt,
    [property: Id(7)] string? FailureReason,
    [property: Id(8)] ExportManifestView? Manifest,
    [property: Id(9)] DateTimeOffset? RetainUntil)
{
    public const string Accepted = "accepted";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
