using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Exports;

/// <summary>
/// A tenant's export jobs (<c>/v1/admin/export</c>); a stateless worker keyed <see cref="ExportKeys.GrainKey"/>. Jobs run in the
/// background from a durable outbox row; this grain validates, records and reads them.
/// </summary>
[Alias("vectros.IExportGrain")]
public interface IExportGrain : IGrainWithStringKey
{
    /// <summary>Validates everything first (400 naming the field, nothing written), then records the job and its work item.</summary>
    Task<ExportJobView> CreateAsync(CallerContext caller, ExportCommand command);

    /// <summary>The job, or 404 when the tenant has no such job (or it was purged after its retention).</summary>
    Task<ExportJobView> GetAsync(CallerContext caller, string exportId);

    /// <summary>
    /// Up to <paramref name="count"/> bytes of a completed job's payload from <paramref name="offset"/> (empty at the
    /// end); null when the job is not completed or is gone. Called by the signed download route, which has already
    /// verified the URL: a grain call per slice keeps the front end's memory bounded and SQL out of it.
    /// </summary>
    Task<byte[]?> ReadAsync(string exportId, long offset, int count);
}

/// <summary>Keys and ids of export jobs.</summary>
public static class ExportKeys
{
    /// <summary>Job ids: <c>exp_</c> and 32 hex digits (the spec's example form); the prefix keeps keys non-hex.</summary>
    public const string IdPrefix = "exp_";

    /// <summary>The blob-store context of payloads: not a valid context id, so no context's teardown or files meet it.</summary>
    public const string BlobContext = "_exports";

    public static string GrainKey(string tenantId) => "exports#" + tenantId;

    public static bool IsValidId(string? id) =>
        id is { Length: 36 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id.AsSpan(4).ContainsAnyExcept("0123456789abcdef") is false;
}
