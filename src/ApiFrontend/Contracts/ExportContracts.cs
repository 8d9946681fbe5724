using Vectros.Grains.Abstractions.Exports;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec ExportRequest (L7740). Strings, not enums, so a wrong value is a 400 naming its field from the grain's
/// validation; <c>subjectType</c> is a free string (API-DELTA-0.40 §11: <c>user</c> or a namespace name).
/// </summary>
public sealed record ExportRequest
{
    public string? Scope { get; init; }

    public string? SubjectType { get; init; }

    public string? SubjectId { get; init; }

    public string? ExternalId { get; init; }

    public IReadOnlyList<string>? ContextScope { get; init; }

    public string? Format { get; init; }

    public bool? IncludeAuditHistory { get; init; }

    public ExportCommand ToCommand() => new(
        Scope ?? "tenant", SubjectType, SubjectId, ExternalId, ContextScope ?? [], Format ?? "ndjson", IncludeAuditHistory ?? false);
}

/// <summary>Spec ExportManifest (L7619).</summary>
public sealed record ExportManifest(
    string FormatVersion,
    string Format,
    long SizeBytes,
    IReadOnlyList<string> ContextsExported,
    long TotalRecords,
    long TotalDocuments,
    long TotalFolders,
    long TotalIdentities)
{
    public static ExportManifest From(ExportManifestView m) => new(
        m.FormatVersion, m.Format, m.SizeBytes, m.ContextsExported, m.TotalRecords, m.TotalDocuments, m.TotalFolders, m.TotalIdentities);
}

/// <summary>Spec ExportRequestResponse (L7660); the URL and its expiry only once completed.</summary>
public sealed record ExportRequestResponse
{
    public required string ExportJobId { get; init; }

    public required string Status { get; init; }

    public required string Scope { get; init; }

    public string? SubjectType { get; init; }

    public string? SubjectId { get; init; }

    public required string CreatedAt { get; init; }

    public string? CompletedAt { get; init; }

    public string? DownloadUrl { get; init; }

    public string? ExpiresAt { get; init; }

    public string? FailureReason { get; init; }

    public ExportManifest? Manifest { get; init; }

    public static ExportRequestResponse From(ExportJobView job, string? downloadUrl = null, DateTimeOffset? expiresAt = null) => new()
    {
        ExportJobId = job.ExportId,
        Status = job.Status,
        Scope = job.Scope,
        SubjectType = job.SubjectType,
        SubjectId = job.SubjectId,
        CreatedAt = Timestamps.Format(job.CreatedAt),
        CompletedAt = job.CompletedAt is { } done ? Timestamps.Format(done) : null,
        DownloadUrl = downloadUrl,
        ExpiresAt = expiresAt is { } e ? Timestamps.Format(e) : null,
        FailureReason = job.FailureReason,
        Manifest = job.Manifest is { } m ? ExportManifest.From(m) : null,
    };
}
