namespace Vectros.Grains.Records;

/// <summary>
/// A <c>records</c> row as stored: <see cref="StoredPayload"/> is the payload JSON with sensitive values as
/// ciphertext markers. Never leaves the grains; callers get a <see cref="Abstractions.Records.RecordView"/>.
/// </summary>
public sealed record RecordRow
{
    public required Guid Id { get; init; }

    public required string TypeName { get; init; }

    public Guid? SchemaId { get; init; }

    public int? SchemaVersion { get; init; }

    public required string StoredPayload { get; init; }

    public required string Status { get; init; }

    public Guid? FolderId { get; init; }

    public Guid? UserId { get; init; }

    /// <summary>Ownership scopes, sorted by namespace (<see cref="Abstractions.Access.OwnershipScopes"/>).</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    public string? ExternalId { get; init; }

    /// <summary>Resolved at create (record → schema default → NONE) and immutable after.</summary>
    public required string IndexMode { get; init; }

    public string? IndexStatus { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required long Version { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The indexer's <c>{code, message}</c> JSON while <see cref="IndexStatus"/> is FAILED.</summary>
    public string? IndexFailure { get; init; }
}
