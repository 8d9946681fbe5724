using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vectros.Grains.Abstractions.Records;

/// <summary>
/// A record as a caller may see it (spec RecordResponse L8303). <see cref="Payload"/> is an immutable JSON
/// object with every sensitive value already masked as <c>[redacted]</c> or, for a caller holding the reveal
/// grant, decrypted; immutable so one cached view can be handed to many concurrent readers.
/// </summary>
public sealed record RecordView
{
    public required Guid Id { get; init; }

    public required string TypeName { get; init; }

    public Guid? SchemaId { get; init; }

    /// <summary>The schema revision the record was last written under.</summary>
    public int? SchemaVersion { get; init; }

    public string? ExternalId { get; init; }

    public required JsonElement Payload { get; init; }

    public required string Status { get; init; }

    public Guid? FolderId { get; init; }

    public Guid? UserId { get; init; }

    public Guid? OrgId { get; init; }

    public Guid? ClientId { get; init; }

    /// <summary>Resolved: record override → schema default → NONE.</summary>
    public required string IndexMode { get; init; }

    /// <summary>PENDING_INDEX | INDEXED | SKIPPED | FAILED; null when <see cref="IndexMode"/> is NONE.</summary>
    public string? IndexStatus { get; init; }

    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public required long Version { get; init; }
}

/// <summary>
/// Create or PUT input (spec RecordRequest L8630), already checked for shape by the front end (UUIDs parsed,
/// lengths and enums checked). On PUT a null member means "keep the current value".
/// </summary>
public sealed record RecordWrite
{
    public string? TypeName { get; init; }

    public Guid? SchemaId { get; init; }

    /// <summary>The plaintext payload as sent. The grain does not keep a reference to it.</summary>
    public JsonObject? Payload { get; init; }

    public string? Status { get; init; }

    public Guid? FolderId { get; init; }

    public Guid? UserId { get; init; }

    public Guid? OrgId { get; init; }

    public Guid? ClientId { get; init; }

    public string? ExternalId { get; init; }

    public string? IndexMode { get; init; }

    /// <summary>Ignored on create; on PUT a mismatch is 409 VERSION_CONFLICT.</summary>
    public long? ExpectedVersion { get; init; }
}

/// <summary>PATCH input: <see cref="Payload"/> is an RFC 7386 merge patch; top-level members set when non-null.</summary>
public sealed record RecordPatch
{
    public JsonObject? Payload { get; init; }

    public string? Status { get; init; }

    public Guid? FolderId { get; init; }

    public Guid? UserId { get; init; }

    public Guid? OrgId { get; init; }

    public Guid? ClientId { get; init; }

    public long? ExpectedVersion { get; init; }
}

/// <summary>Result of an idempotent create: 201 when <see cref="Created"/>, else 200.</summary>
public sealed record RecordCreateResult(RecordView Record, bool Created);

/// <summary>A page of records; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record RecordPage(IReadOnlyList<RecordView> Data, string? NextCursor);

/// <summary><c>GET /v1/records</c>: exactly one mode (type, folderId with optional type, or recent).</summary>
public sealed record RecordListQuery
{
    public string? Type { get; init; }

    public Guid? FolderId { get; init; }

    public bool Recent { get; init; }

    public Guid? UserId { get; init; }

    public Guid? OrgId { get; init; }

    public Guid? ClientId { get; init; }

    public bool IncludePayload { get; init; }

    public string? StartFrom { get; init; }

    public int Limit { get; init; } = 20;
}

/// <summary>
/// A lookup (spec RecordLookupRequest L8745): exactly one of <see cref="Value"/>, <see cref="From"/>+<see cref="To"/>
/// or <see cref="Prefix"/>. <see cref="FromBody"/> says whether the value travelled in a body (POST) rather than
/// a URL; only then may a sensitive field be looked up.
/// </summary>
public sealed record RecordLookupQuery
{
    public required string Type { get; init; }

    public required string Field { get; init; }

    public string? Value { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public string? Prefix { get; init; }

    /// <summary>true = descending.</summary>
    public bool Descending { get; init; }

    public bool IncludePayload { get; init; }

    public string? StartFrom { get; init; }

    public int Limit { get; init; } = 20;

    public bool FromBody { get; init; }
}
