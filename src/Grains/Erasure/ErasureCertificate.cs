using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Tokens;

namespace Vectros.Grains.Erasure;

/// <summary>Deletion counts per store (ours, beside the spec's per-kind counts).</summary>
internal sealed record ErasureStoreCounts(
    long Records, long RecordLookups, long RecordReferences, long Documents, long DocumentLookups, long Folders,
    long Chunks, long Blobs, long Versions, long Events, long Identity, long IdentityLookups, long IdentityVersions);

/// <summary>Spec ErasureContextResult plus our per-store counts and the context's own shared and dangling figures.</summary>
internal sealed record ErasureContextResult(
    string ContextId, long RecordsDeleted, long DocumentsDeleted, long FoldersDeleted, long IdentityRowsDeleted,
    long SharedRowsSkipped, long DanglingReferences, ErasureStoreCounts Counts);

/// <summary>
/// Spec ErasureCertificate plus ours. The canonical form is this record serialised with <see cref="Json"/> (property
/// order as declared, camelCase, no whitespace); <c>signature</c> is a compact JWS whose payload is exactly those
/// bytes, signed with the platform key (<c>GET /v1/auth/jwks</c>). <see cref="DeletedIdsSha256"/> is the lower-case
/// hex SHA-256 of the deleted ids (lower-case UUIDs, sorted ordinally, joined by '\n'). Counts, ids' hash and times
/// only: never an erased value.
/// </summary>
internal sealed record ErasureCertificate(
    string RequestId,
    string SubjectType,
    string SubjectId,
    bool DryRun,
    string AuditDisposition,
    IReadOnlyList<string> ContextsSwept,
    IReadOnlyList<ErasureContextResult> PerContext,
    long DanglingReferences,
    long SharedRowsSkipped,
    ErasureStoreCounts Counts,
    long DeletedIdCount,
    string DeletedIdsSha256,
    string StartedAt,
    string CompletedAt)
{
    public const string JwsType = "vectros-erasure-certificate+jws";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ErasureCertificate From(string requestId, ErasurePlan plan, bool dryRun, string disposition, DateTimeOffset startedAt, DateTimeOffset completedAt)
    {
        var identity = plan.Identity;
        var perContext = plan.Contexts.Select((c, i) =>
        {
            // The identity is account-wide: counted once, against the first context of the sweep (where it was resolved).
            var id = i == 0 ? identity : null;
            var counts = new ErasureStoreCounts(
                c.Records.Count, c.RecordLookups, c.RecordReferences, c.Documents.Count, c.DocumentLookups, c.Folders.Count,
                c.Chunks, c.BlobKeys.Count, c.Versions, c.Events, id is null ? 0 : 1, id?.Lookups ?? 0, id?.Versions ?? 0);
            return new ErasureContextResult(c.ContextId, c.Records.Count, c.Documents.Count, c.Folders.Count,
                id is null ? 0 : 1 + id.Lookups, c.SharedRows, c.DanglingReferences + (id?.DanglingReferences ?? 0), counts);
        }).ToList();

        var ids = plan.Contexts.SelectMany(c => c.Records.Concat(c.Documents).Concat(c.Folders))
            .Concat(identity is null ? [] : [identity.Id])
            .Select(id => id.ToString()).Order(StringComparer.Ordinal).ToList();
        return new ErasureCertificate(
            requestId, plan.SubjectType, plan.SubjectId, dryRun, disposition,
            plan.Contexts.Select(c => c.ContextId).ToList(), perContext,
            perContext.Sum(c => c.DanglingReferences), perContext.Sum(c => c.SharedRowsSkipped),
            Sum(perContext.Select(c => c.Counts)), ids.Count, HashIds(ids), Iso(startedAt), Iso(completedAt));
    }

    /// <summary>SHA-256 (lower-case hex) over the ids as the certificate defines it; a holder of the ids recomputes it.</summary>
    public static string HashIds(IEnumerable<string> ids) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids.Order(StringComparer.Ordinal)))));

    /// <summary>The certificate's JSON with its <c>signature</c> member.</summary>
    public async Task<string> SignAsync(SigningKeyRing ring)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(this, Json);
        var signature = await ring.SignAsync(canonical, JwsType);
        var signed = JsonNode.Parse(canonical)!.AsObject();
        signed["signature"] = signature;
        return signed.ToJsonString();
    }

    private static ErasureStoreCounts Sum(IEnumerable<ErasureStoreCounts> all) => all.Aggregate(
        new ErasureStoreCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        (a, b) => new ErasureStoreCounts(a.Records + b.Records, a.RecordLookups + b.RecordLookups, a.RecordReferences + b.RecordReferences,
            a.Documents + b.Documents, a.DocumentLookups + b.DocumentLookups, a.Folders + b.Folders, a.Chunks + b.Chunks, a.Blobs + b.Blobs,
            a.Versions + b.Versions, a.Events + b.Events, a.Identity + b.Identity, a.IdentityLookups + b.IdentityLookups,
            a.IdentityVersions + b.IdentityVersions));

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
