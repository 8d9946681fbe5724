using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans;

namespace Vectros.Grains.Abstractions.Records;

/// <summary>
/// A record as a caller may see it (spec RecordResponse L8303). <see cref="Payload"/> is an immutable JSON
/// object with every sensitive value already masked as <c>[redacted]</c> or, for a caller holding the reveal
/// grant, decrypted; immutable so one cached view can be handed to many concurrent readers.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.RecordView")]
public sealed record RecordView
{
    [Id(0)]
    public required Guid Id { get; init; }

    [Id(1)]
    public required string TypeName { get; init; }

    [Id(2)]
    public Guid? SchemaId { get; init; }

    /// <summary>The schema revision the record was last written under.</summary>
    [Id(3)]
    public int? SchemaVersion { get; init; }

    [Id(4)]
    public string? ExternalId { get; init; }

    [Id(5)]
    public required JsonElement Payload { get; init; }

    [Id(6)]
    public required string Status { get; init; }

    [Id(7)]
    public Guid? FolderId { get; init; }

    [Id(8)]
    public Guid? UserId { get; init; }

    /// <summary>Ownership scopes (<c>ns:value</c>, at most two, sorted); the 0.31 orgId/clientId are derived from them.</summary>
    [Id(9)]
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>When the expiry sweep deletes the record (0.40); null = never.</summary>
    [Id(10)]
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Resolved: record override → schema default → NONE.</summary>
    [Id(11)]
    public required string IndexMode { get; init; }

    /// <summary>PENDING_INDEX | INDEXED | SKIPPED | FAILED; null when <see cref="IndexMode"/> is NONE.</summary>
    [Id(12)]
    public string? IndexStatus { get; init; }

    [Id(13)]
    public required string CreatedBy { get; init; }

    [Id(14)]
    public required DateTimeOffset CreatedAt { get; init; }

    [Id(15)]
    public required DateTimeOffset UpdatedAt { get; init; }

    [Id(16)]
    public required long Version { get; init; }

    /// <summary>Why indexing failed; present only while <see cref="IndexStatus"/> is FAILED.</summary>
    [Id(17)]
    public IndexFailure? IndexFailure { get; init; }

    /// <summary>True when a list or lookup returned the lookup projection instead of the whole payload.</summary>
    [Id(18)]
    public bool PayloadPartial { get; init; }

    /// <summary>For the read-access log only (never on the wire): what this view disclosed; null = nothing to log.</summary>
    [Id(19)]
    public Logs.ReadDisclosure? Disclosure { get; init; }
}

/// <summary>0.40 IndexFailure: <c>code</c> is one of SOURCE_UNAVAILABLE, TEXT_INDEX_FAILED, EMBEDDING_FAILED, INDEXING_FAILED, VECTOR_LIMIT_EXCEEDED, INTERNAL.</summary>
[GenerateSerializer, Immutable, Alias("vectros.IndexFailure")]
public sealed record IndexFailure([property: Id(0)] string Code, [property: Id(1)] string Message);

/// <summary>
/// Create or PUT input (spec RecordRequest L8630), already checked for shape by the front end (UUIDs parsed,
/// lengths and enums checked). On PUT a null member means "keep the current value".
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.RecordWrite")]
public sealed record RecordWrite
{
    [Id(0)]
    public string? TypeName { get; init; }

    [Id(1)]
    public Guid? SchemaId { get; init; }

    /// <summary>The plaintext payload as sent. The grain does not keep a reference to it.</summary>
    [Id(2)]
    public JsonObject? Payload { get; init; }

    [Id(3)]
    public string? Status { get; init; }

    [Id(4)]
    public Guid? FolderId { get; init; }

    [Id(5)]
    public Guid? UserId { get; init; }

    /// <summary>0.31: sets the <c>org:</c> scope on top of <see cref="Scopes"/> or the stored scopes.</summary>
    [Id(6)]
    public Guid? OrgId { get; init; }

    /// <summary>0.31: sets the <c>client:</c> scope likewise.</summary>
    [Id(7)]
    public Guid? ClientId { get; init; }

    [Id(8)]
    public string? ExternalId { get; init; }

    [Id(9)]
    public string? IndexMode { get; init; }

    /// <summary>Ignored on create; on PUT a mismatch is 409 VERSION_CONFLICT.</summary>
    [Id(10)]
    public long? ExpectedVersion { get; init; }

    /// <summary>The whole ownership declaration (0.40): null = omitted (stamped on create, unchanged on update), [] = none.</summary>
    [Id(11)]
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>Set or extend the expiry (needs the schema's ttlEligible capability); null = unchanged.</summary>
    [Id(12)]
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>PATCH input: <see cref="Payload"/> is an RFC 7386 merge patch; top-level members set when non-null.</summary>
[GenerateSerializer, Immutable, Alias("vectros.RecordPatch")]
public sealed record RecordPatch
{
    [Id(0)]
    public JsonObject? Payload { get; init; }

    [Id(1)]
    public string? Status { get; init; }

    [Id(2)]
    public Guid? FolderId { get; init; }

    [Id(3)]
    public Guid? UserId { get; init; }

    [Id(4)]
    public Guid? OrgId { get; init; }

    [Id(5)]
    public Guid? ClientId { get; init; }

    [Id(6)]
    public long? ExpectedVersion { get; init; }

    [Id(7)]
    public IReadOnlyList<string>? Scopes { get; init; }

    [Id(8)]
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>Result of an idempotent create: 201 when <see cref="Created"/>, else 200.</summary>
[GenerateSerializer, Immutable, Alias("vectros.RecordCreateResult")]
public sealed record RecordCreateResult([property: Id(0)] RecordView Record, [property: Id(1)] bool Created);

/// <summary>A page of records; <see cref="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable, Alias("vectros.RecordPage")]
public sealed record RecordPage([property: Id(0)] IReadOnlyList<RecordView> Data, [property: Id(1)] string? NextCursor);

/// <summary><c>GET /v1/records</c>: exactly one mode (type, folderId with optional type, or recent).</summary>
[GenerateSerializer, Alias("vectros.RecordListQuery")]
public sealed record RecordListQuery
{
    [Id(0)]
    public string? Type { get; init; }

    [Id(1)]
    public Guid? FolderId { get; init; }

    [Id(2)]
    public bool Recent { get; init; }

    [Id(3)]
    public Guid? UserId { get; init; }

    /// <summary>Ownership filters, all of which an item must carry: 0.40 <c>?scope=</c>, or the 0.31 orgId/clientId as <c>org:</c>/<c>client:</c>.</summary>
    [Id(4)]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    [Id(6)]
    public bool IncludePayload { get; init; }

    [Id(7)]
    public string? StartFrom { get; init; }

    [Id(8)]
    public int Limit { get; init; } = 20;
}

/// <summary>
/// A lookup (spec RecordLookupRequest L8745): exactly one of <see cref="Value"/> (or the 0.40 <see cref="Values"/>),
/// <see cref="From"/>+<see cref="To"/> or <see cref="Prefix"/>. <see cref="FromBody"/> says whether the value
/// travelled in a body (POST) rather than a URL; only then may a sensitive field be looked up.
/// </summary>
[GenerateSerializer, Alias("vectros.RecordLookupQuery")]
public sealed record RecordLookupQuery
{
    [Id(0)]
    public required string Type { get; init; }

    [Id(1)]
    public required string Field { get; init; }

    [Id(2)]
    public string? Value { get; init; }

    [Id(3)]
    public string? From { get; init; }

    [Id(4)]
    public string? To { get; init; }

    [Id(5)]
    public string? Prefix { get; init; }

    /// <summary>true = descending.</summary>
    [Id(6)]
    public bool Descending { get; init; }

    [Id(7)]
    public bool IncludePayload { get; init; }

    [Id(8)]
    public string? StartFrom { get; init; }

    [Id(9)]
    public int Limit { get; init; } = 20;

    [Id(10)]
    public bool FromBody { get; init; }

    /// <summary>
    /// 0.40: one value per field of a composite lookup, in its declared order (a leading run is allowed); excludes
    /// <see cref="Value"/>, and a one-element list is exactly <see cref="Value"/> (API-DELTA §4).
    /// </summary>
    [Id(11)]
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>0.40: inclusive lower bound on the lookup's sort key, in the sort field's units (epoch ms for timestamps).</summary>
    [Id(12)]
    public string? SortFrom { get; init; }

    /// <summary>0.40: inclusive upper bound on the lookup's sort key.</summary>
    [Id(13)]
    public string? SortTo { get; init; }

    /// <summary>0.40 selector (root only): resolve the type's schema as this user would (its basedOn variant).</summary>
    [Id(14)]
    public Guid? UserId { get; init; }

    /// <summary>0.40 selector (root only): resolve the type's schema as this <c>ns:value</c> scope would.</summary>
    [Id(15)]
    public string? Scope { get; init; }
}
