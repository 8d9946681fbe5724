using System.Text.Json;
using Vectros.Grains.Abstractions.Erasure;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec ErasureRequest (L7568) with 0.40's free-string <c>subjectType</c> (API-DELTA-0.40 §11) and our
/// <c>dryRun</c> (reports what would go, deletes nothing). Unknown fields are refused like everywhere else.
/// </summary>
public sealed record ErasureRequestBody(
    string? SubjectType, string? SubjectId, string? ExternalId, IReadOnlyList<string>? ContextScope, string? AuditDisposition, bool? DryRun);

/// <summary>
/// Spec ErasureRequestResponse (L7510) plus <c>dryRun</c>. <c>certificate</c> is the signed certificate (spec
/// ErasureCertificate plus our counts per store, ids' hash, times and <c>signature</c>), present once completed.
/// </summary>
public sealed record ErasureRequestResponse(
    string RequestId,
    string Status,
    string SubjectType,
    string SubjectId,
    string CreatedAt,
    string? CompletedAt,
    string? FailureReason,
    JsonElement? Certificate,
    bool DryRun)
{
    public static ErasureRequestResponse From(ErasureRequestView view) => new(
        view.RequestId,
        view.Status,
        view.SubjectType,
        view.SubjectId,
        Timestamps.Format(view.CreatedAt),
        view.CompletedAt is { } done ? Timestamps.Format(done) : null,
        view.FailureReason,
        view.CertificateJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null,
        view.DryRun);
}
