using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Records;

/// <summary>
/// One record, keyed <c>tenant#context#recordId</c> (<see cref="CallerContext.KeyFor"/>); record ids are UUIDv7
/// chosen by the front end. The grain owns the record's versioning and optimistic concurrency, writes the row,
/// its lookup and reference rows, its history row and its indexing outbox row in one transaction, and caches
/// the record for reads. Another tenant's or context's id, or a type the caller cannot read, is a 404.
/// </summary>
[Alias("vectros.IRecordGrain")]
public interface IRecordGrain : IGrainWithStringKey
{
    /// <summary>Creates the record under this id; an existing externalId returns that record (or overwrites it with upsert).</summary>
    Task<RecordCreateResult> CreateAsync(CallerContext caller, RecordWrite write, bool upsert, CancellationToken cancellationToken = default);

    /// <summary>Idempotent-create match: this record already holds the externalId; unchanged, or upserted.</summary>
    Task<RecordCreateResult> MatchExternalIdAsync(CallerContext caller, RecordWrite write, bool upsert);

    /// <summary>The record, sensitive values masked unless the caller may reveal them.</summary>
    [ReadOnly]
    Task<RecordView> GetAsync(CallerContext caller, CancellationToken cancellationToken = default);

    /// <summary>PUT: payload replaced whole when given, omitted members kept.</summary>
    Task<RecordView> UpdateAsync(CallerContext caller, RecordWrite write);

    /// <summary>PATCH: RFC 7386 merge of the payload, top-level members set when given.</summary>
    Task<RecordView> PatchAsync(CallerContext caller, RecordPatch patch);

    /// <summary>Hard delete: row, lookup and reference rows removed, tombstone kept.</summary>
    Task DeleteAsync(CallerContext caller);

    /// <summary>
    /// The expiry sweep's delete: removes the record (tombstone, history row changed by <c>system:expiry</c>) if its
    /// expiresAt has passed at <paramref name="now"/>; false when it is gone or was extended meanwhile.
    /// </summary>
    Task<bool> ExpireAsync(DateTimeOffset now);

    /// <summary>What is left after a delete, in the RecordResponse shape (sensitive values destroyed).</summary>
    [ReadOnly]
    Task<RecordView> GetTombstoneAsync(CallerContext caller);

    /// <summary>
    /// The indexing pipeline committed this record's processing state for <paramref name="version"/>: a cached row
    /// at that version takes it in place (the cache stays warm), any other cached row is dropped and re-read.
    /// </summary>
    Task IndexedAsync(long version, string indexStatus, string? indexFailure);

    /// <summary>History, newest first; 409 when the type's audit history is off.</summary>
    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, string? startFrom, int limit);
}
