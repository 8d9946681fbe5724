using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;
using Vectros.Grains.Abstractions.Records;

namespace Vectros.Grains.Abstractions.Documents;

/// <summary>
/// A document as a caller may see it (spec DocumentResponse L6930 with the 0.40 fields). <see cref="Status"/> is the
/// 0.40 lifecycle and <see cref="IndexStatus"/> the processing state (DESIGN §5a). Immutable so one cached view can
/// be handed to many readers; the text itself is never part of it (<c>/text</c> reads it).
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentView")]
public sealed record DocumentView
{
    [Id(0)]
    public required Guid Id { get; init; }

    [Id(1)]
    public required string Title { get; init; }

    /// <summary>The bound schema's type name; null for a schemaless document.</summary>
    [Id(2)]
    public string? TypeName { get; init; }

    [Id(3)]
    public Guid? SchemaId { get; init; }

    [Id(4)]
    public int? SchemaVersion { get; init; }

    [Id(5)]
    public string? ExternalId { get; init; }

    /// <summary>Sensitive values masked as <c>[redacted]</c>, or decrypted for a caller holding the reveal grant.</summary>
    [Id(6)]
    public required JsonElement Payload { get; init; }

    /// <summary>ACTIVE | ARCHIVED.</summary>
    [Id(7)]
    public required string Status { get; init; }

    [Id(8)]
    public required string IndexMode { get; init; }

    /// <summary>PENDING_UPLOAD | UPLOADED | EXTRACTING | PENDING_INDEX | INDEXED | SKIPPED | STORED | FAILED.</summary>
    [Id(9)]
    public required string IndexStatus { get; init; }

    /// <summary>Present only while <see cref="IndexStatus"/> is FAILED.</summary>
    [Id(10)]
    public IndexFailure? IndexFailure { get; init; }

    [Id(11)]
    public Guid? FolderId { get; init; }

    [Id(12)]
    public Guid? UserId { get; init; }

    [Id(13)]
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>TEXT (ingested inline) or FILE (uploaded).</summary>
    [Id(14)]
    public required string Source { get; init; }

    /// <summary>Whether the text is kept: always for TEXT documents; a file's choice at upload (default true).</summary>
    [Id(15)]
    public required bool StoreText { get; init; }

    /// <summary>UTF-8 bytes of the text (inline, or extracted from the file once extraction ran).</summary>
    [Id(16)]
    public required long TextBytes { get; init; }

    [Id(17)]
    public string? FileName { get; init; }

    /// <summary>The file's MIME type (FILE documents only).</summary>
    [Id(18)]
    public string? FileType { get; init; }

    /// <summary>Bytes of the stored file; null until the upload arrived.</summary>
    [Id(19)]
    public long? FileSize { get; init; }

    [Id(20)]
    public required string CreatedBy { get; init; }

    [Id(21)]
    public required DateTimeOffset CreatedAt { get; init; }

    [Id(22)]
    public required DateTimeOffset UpdatedAt { get; init; }

    [Id(23)]
    public required long Version { get; init; }

    /// <summary>True when a list or lookup returned a projection; payloads are never externalized here, so always false.</summary>
    [Id(24)]
    public bool PayloadPartial { get; init; }

    /// <summary>For the read-access log only (never on the wire): what this view disclosed; null = nothing to log.</summary>
    [Id(25)]
    public Logs.ReadDisclosure? Disclosure { get; init; }
}

/// <summary>
/// Create or PUT input (spec DocumentRequest L7070), already checked for shape by the front end. On PUT a null member
/// means "keep the current value". <see cref="StoreText"/> is read so that it can be refused where it must be.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentWrite")]
public sealed record DocumentWrite
{
    [Id(0)]
    public string? Title { get; init; }

    [Id(1)]
    public string? Text { get; init; }

    [Id(2)]
    public string? IndexMode { get; init; }

    [Id(3)]
    public JsonObject? Payload { get; init; }

    /// <summary>0.40: bind by type name alone (the caller's basedOn variant, else the base).</summary>
    [Id(4)]
    public string? TypeName { get; init; }

    [Id(5)]
    public Guid? SchemaId { get; init; }

    [Id(6)]
    public Guid? FolderId { get; init; }

    [Id(7)]
    public Guid? UserId { get; init; }

    [Id(8)]
    public Guid? OrgId { get; init; }

    [Id(9)]
    public Guid? ClientId { get; init; }

    /// <summary>The whole ownership declaration (0.40): null = omitted, [] = none.</summary>
    [Id(10)]
    public IReadOnlyList<string>? Scopes { get; init; }

    [Id(11)]
    public string? ExternalId { get; init; }

    /// <summary>Ignored on create; on PUT and PATCH a mismatch is 409 VERSION_CONFLICT.</summary>
    [Id(12)]
    public long? ExpectedVersion { get; init; }

    /// <summary>ACTIVE | ARCHIVED; null keeps (ACTIVE on create).</summary>
    [Id(13)]
    public string? Status { get; init; }
}

/// <summary>PATCH input: <see cref="Payload"/> is an RFC 7386 merge patch; the other members are set when non-null.</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentPatch")]
public sealed record DocumentPatch
{
    [Id(0)]
    public string? Title { get; init; }

    [Id(1)]
    public string? Text { get; init; }

    [Id(2)]
    public JsonObject? Payload { get; init; }

    [Id(3)]
    public Guid? SchemaId { get; init; }

    [Id(4)]
    public Guid? FolderId { get; init; }

    [Id(5)]
    public Guid? UserId { get; init; }

    [Id(6)]
    public Guid? OrgId { get; init; }

    [Id(7)]
    public Guid? ClientId { get; init; }

    [Id(8)]
    public IReadOnlyList<string>? Scopes { get; init; }

    [Id(9)]
    public long? ExpectedVersion { get; init; }

    [Id(10)]
    public string? Status { get; init; }
}

/// <summary>
/// <c>POST /v1/documents/upload</c> (spec FileUploadRequest L7354 with the 0.40 <c>storeText</c> and <c>scopes</c>).
/// <see cref="Title"/> is not in the spec's request but its upsert text names it (a spec gap): the file name is the
/// title unless one is given.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentUpload")]
public sealed record DocumentUpload
{
    [Id(0)]
    public required string FileName { get; init; }

    [Id(1)]
    public required string FileType { get; init; }

    [Id(2)]
    public string? Title { get; init; }

    [Id(3)]
    public string? IndexMode { get; init; }

    /// <summary>Whether the extracted text is kept after indexing (default true); fixed at the first upload.</summary>
    [Id(4)]
    public bool? StoreText { get; init; }

    [Id(5)]
    public JsonObject? Payload { get; init; }

    [Id(6)]
    public string? TypeName { get; init; }

    [Id(7)]
    public Guid? SchemaId { get; init; }

    [Id(8)]
    public Guid? FolderId { get; init; }

    [Id(9)]
    public Guid? UserId { get; init; }

    [Id(10)]
    public Guid? OrgId { get; init; }

    [Id(11)]
    public Guid? ClientId { get; init; }

    [Id(12)]
    public IReadOnlyList<string>? Scopes { get; init; }

    [Id(13)]
    public string? ExternalId { get; init; }
}

/// <summary>Result of an idempotent create: 201 when <see cref="Created"/>, else 200.</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentCreateResult")]
public sealed record DocumentCreateResult([property: Id(0)] DocumentView Document, [property: Id(1)] bool Created);

/// <summary>
/// A single-use upload ticket (table <c>upload_tickets</c>): the front end signs a URL over it. The bytes must arrive
/// before <see cref="ExpiresAt"/> and be at most <see cref="MaxBytes"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.UploadTicket")]
public sealed record UploadTicket(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] Guid DocumentId,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] long MaxBytes);

/// <summary>An upload start: the document (new or matched by externalId) and the ticket for its bytes.</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentUploadResult")]
public sealed record DocumentUploadResult(
    [property: Id(0)] DocumentView Document,
    [property: Id(1)] bool Created,
    [property: Id(2)] UploadTicket Ticket);

/// <summary>The bytes of one upload, handed to the document grain once the signed URL checked out.</summary>
[GenerateSerializer, Immutable, Alias("vectros.UploadContent")]
public sealed record UploadContent(
    [property: Id(0)] Guid TicketId,
    [property: Id(1)] string? ContentType,
    [property: Id(2)] byte[] Bytes);

/// <summary>What a signed download URL is made of: the file's type and name, and until when the URL works.</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentDownload")]
public sealed record DocumentDownload(
    [property: Id(0)] Guid DocumentId,
    [property: Id(1)] string FileType,
    [property: Id(2)] string? FileName,
    [property: Id(3)] DateTimeOffset ExpiresAt);

/// <summary>A stored file, served through a signed download URL.</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentFile")]
public sealed record DocumentFile(
    [property: Id(0)] byte[] Bytes,
    [property: Id(1)] string FileType,
    [property: Id(2)] string? FileName);

/// <summary>Spec DocumentTextResponse (L7286).</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentText")]
public sealed record DocumentText([property: Id(0)] Guid Id, [property: Id(1)] string Text);

/// <summary>A page of documents; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("vectros.DocumentPage")]
public sealed record DocumentPage([property: Id(0)] IReadOnlyList<DocumentView> Data, [property: Id(1)] string? NextCursor);

/// <summary><c>GET /v1/documents</c>: every filter given must hold.</summary>
[GenerateSerializer, Alias("vectros.DocumentListQuery")]
public sealed record DocumentListQuery
{
    [Id(0)]
    public Guid? FolderId { get; init; }

    [Id(1)]
    public Guid? UserId { get; init; }

    /// <summary>Ownership filters: 0.40 <c>?scope=</c>, or the 0.31 orgId/clientId as <c>org:</c>/<c>client:</c>.</summary>
    [Id(2)]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    [Id(3)]
    public string? StartFrom { get; init; }

    [Id(4)]
    public int Limit { get; init; } = 20;
}
