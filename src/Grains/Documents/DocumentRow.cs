namespace Vectros.Grains.Documents;

/// <summary>
/// A <c>documents</c> row as stored, without its text (<see cref="HasBody"/> says whether there is one; <c>/text</c>
/// reads it). <see cref="StoredPayload"/> holds sensitive values as ciphertext markers. Never leaves the grains.
/// </summary>
public sealed record DocumentRow
{
    public const string SourceText = "TEXT";
    public const string SourceFile = "FILE";

    public required Guid Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The bound schema's type; null for a schemaless document.</summary>
    public string? TypeName { get; init; }

    public Guid? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public required string StoredPayload { get; init; }

    /// <summary>ACTIVE | ARCHIVED (the 0.40 lifecycle).</summary>
    public required string Status { get; init; }

    /// <summary>Resolved at create (own value → schema default) and immutable after.</summary>
    public required string IndexMode { get; init; }

    public required string IndexStatus { get; init; }

    /// <summary>The indexer's <c>{code, message}</c> JSON while <see cref="IndexStatus"/> is FAILED.</summary>
    public string? IndexFailure { get; init; }

    public Guid? FolderId { get; init; }

    public Guid? UserId { get; init; }

    /// <summary>Ownership scopes, sorted by namespace.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>TEXT or FILE.</summary>
    public required string Source { get; init; }

    public bool HasBody { get; init; }

    public long TextBytes { get; init; }

    public bool StoreText { get; init; } = true;

    public string? FileName { get; init; }

    public string? FileType { get; init; }

    public long? FileSize { get; init; }

    /// <summary>Where the file's bytes are in the blob store; null until the upload arrived.</summary>
    public string? BlobKey { get; init; }

    /// <summary>Moves only when the text or the bytes change, so the indexer tells a re-ingest from a metadata edit.</summary>
    public long ContentVersion { get; init; } = 1;

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required long Version { get; init; }

    public bool IsFile => Source == SourceFile;
}
