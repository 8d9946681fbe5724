using Orleans;

namespace Vectros.Grains.Abstractions.Erasure;

/// <summary>
/// A validated-on-arrival erasure request (spec ErasureRequest, API-DELTA-0.40 §11): <see cref="SubjectType"/> is
/// <c>user</c> or a namespace name; exactly one of <see cref="SubjectId"/>/<see cref="ExternalId"/>; an empty
/// <see cref="ContextScope"/> means every context the subject has data in. <see cref="DryRun"/> is our extension.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ErasureSubmission")]
public sealed record ErasureSubmission(
    [property: Id(0)] string SubjectType,
    [property: Id(1)] string? SubjectId,
    [property: Id(2)] string? ExternalId,
    [property: Id(3)] IReadOnlyList<string> ContextScope,
    [property: Id(4)] string AuditDisposition,
    [property: Id(5)] bool DryRun);

/// <summary>
/// An erasure request as stored (spec ErasureRequestResponse). <see cref="CertificateJson"/> is the signed certificate
/// (its canonical JSON plus <c>signature</c>) once completed; it holds counts and a hash, never an erased value.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ErasureRequestView")]
public sealed record ErasureRequestView(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string Status,
    [property: Id(2)] string SubjectType,
    [property: Id(3)] string SubjectId,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset? CompletedAt,
    [property: Id(6)] string? FailureReason,
    [property: Id(7)] string? CertificateJson,
    [property: Id(8)] bool DryRun);

/// <summary>Names shared by the front end and the engine.</summary>
public static class ErasureRules
{
    public const string User = "user";
    public const string RetainRedacted = "retain-redacted";
    public const string Purge = "purge";

    /// <summary>Request ids carry <c>er_</c>: a non-hex letter, so they never read as a number (DESIGN §1 trap 1).</summary>
    public const string IdPrefix = "er_";

    public static string NewId() => IdPrefix + Guid.NewGuid().ToString("N");

    public static bool IsWellFormedId(string? id) =>
        id is { Length: 35 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && Guid.TryParseExact(id[3..], "N", out _);
}
