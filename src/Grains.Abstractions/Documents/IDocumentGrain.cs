using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Documents;

/// <summary>
/// One document, keyed <c>tenant#context#documentId</c> (<see cref="CallerContext.KeyFor"/>); ids are UUIDv7 chosen
/// by the front end. The grain owns the document's lifecycle (create, update, archive, delete, upload), its versioning
/// and optimistic concurrency, and writes the row, its lookup rows, its history row, its <c>document.index</c> outbox
/// row and (on delete or archive) the removal of its search chunks in one transaction. Another tenant's or context's
/// id answers the same 404 as a missing one.
/// </summary>
[Alias("vectros.IDocumentGrain")]
public interface IDocumentGrain : IGrainWithStringKey
{
    /// <summary>Ingests an inline-text document under this id; an existing externalId answers that document (or, with upsert, overwrites it).</summary>
    Task<DocumentCreateResult> CreateAsync(CallerContext caller, DocumentWrite write, bool upsert);

    /// <summary>Idempotent-create match: this document already holds the externalId; unchanged, or upserted.</summary>
    Task<DocumentCreateResult> MatchExternalIdAsync(CallerContext caller, DocumentWrite write, bool upsert);

    /// <summary>Starts a file document under this id (PENDING_UPLOAD) and issues an upload ticket; an existing externalId re-issues one for that document.</summary>
    Task<DocumentUploadResult> StartUploadAsync(CallerContext caller, DocumentUpload upload, bool upsert);

    /// <summary>Re-upload by externalId: a fresh ticket for this (file) document; with upsert its title and payload are applied first.</summary>
    Task<DocumentUploadResult> MatchUploadAsync(CallerContext caller, DocumentUpload upload, bool upsert);

    /// <summary>
    /// Stores the bytes of an upload whose signed URL the front end verified: refused (nothing stored) unless the
    /// ticket belongs to this document, is unused, unexpired and the bytes fit it. In one transaction the ticket is
    /// used up, the file recorded (indexStatus UPLOADED) and <c>document.index</c> enqueued.
    /// </summary>
    Task StoreUploadAsync(UploadContent content);

    /// <summary>The document, sensitive values masked unless the caller may reveal them.</summary>
    [ReadOnly]
    Task<DocumentView> GetAsync(CallerContext caller);

    /// <summary>The kept text: 404 when there is none (extraction unfinished, or a file uploaded with storeText false).</summary>
    [ReadOnly]
    Task<DocumentText> GetTextAsync(CallerContext caller);

    /// <summary>What a signed download URL needs; 400 for a text-only document, 404 before the file arrived.</summary>
    [ReadOnly]
    Task<DocumentDownload> GetDownloadAsync(CallerContext caller);

    /// <summary>The stored file, for a download URL the front end verified; null when there is none (any more).</summary>
    [ReadOnly]
    Task<DocumentFile?> ReadFileAsync();

    /// <summary>PUT: payload replaced whole when given, omitted members kept; <c>text</c> re-ingests.</summary>
    Task<DocumentView> UpdateAsync(CallerContext caller, DocumentWrite write);

    /// <summary>PATCH: RFC 7386 merge of the payload, top-level members set when given.</summary>
    Task<DocumentView> PatchAsync(CallerContext caller, DocumentPatch patch);

    /// <summary>Hard delete: row, lookup rows, search chunks and upload tickets removed, tombstone kept, file deleted.</summary>
    Task DeleteAsync(CallerContext caller);

    /// <summary>History newest first (schema-bound documents with auditHistory keep one; others have none).</summary>
    [ReadOnly]
    Task<VersionPage> GetVersionsAsync(CallerContext caller, string? startFrom, int limit);

    /// <summary>
    /// The indexing pipeline changed this document's processing state (indexStatus, extracted text) in the
    /// database: drop the cached row so the next read sees it.
    /// </summary>
    Task InvalidateAsync();
}
