using Orleans;

namespace Vectros.Grains.Abstractions.Logs;

/// <summary>
/// One <c>/v1</c> call as the admin log keeps it (spec LogEntry L5572 + API-DELTA §12): metadata only. The route is
/// the template (<c>/v1/records/{id}</c>), never the raw path or its query string; no body, key or sensitive value.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ApiCallEntry")]
public sealed record ApiCallEntry
{
    /// <summary>Null for a call refused before its tenant was known (a 401): stored, never served.</summary>
    [Id(0)] public string? TenantId { get; init; }

    /// <summary>The context the call ran in (the credential's).</summary>
    [Id(1)] public string? ContextId { get; init; }

    /// <summary>When the call completed.</summary>
    [Id(2)] public required DateTimeOffset Timestamp { get; init; }

    [Id(3)] public required string Method { get; init; }

    /// <summary>Top-level resource (spec LogEntry.resource), derived from the route.</summary>
    [Id(4)] public required string Resource { get; init; }

    [Id(5)] public required string Route { get; init; }

    [Id(6)] public required int Status { get; init; }

    [Id(7)] public string? CredentialId { get; init; }

    [Id(8)] public required long DurationMs { get; init; }

    [Id(9)] public required string RequestId { get; init; }

    [Id(10)] public string? ErrorCode { get; init; }

    /// <summary>JSON-encoded chain of a delegate-minted credential; null otherwise (API-DELTA §12).</summary>
    [Id(11)] public string? DelegationChain { get; init; }
}

/// <summary>
/// One governed read (spec ReadAccessLogResponse L5308): who read which item, in which context, whether a sensitive
/// value came back in plaintext and which sensitive fields (by name) were in the response. Never a value.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ReadAccessEntry")]
public sealed record ReadAccessEntry
{
    /// <summary>UUIDv7, taken when the read completed (the log's order and cursor).</summary>
    [Id(0)] public required Guid Id { get; init; }

    [Id(1)] public required string TenantId { get; init; }

    [Id(2)] public required string ContextId { get; init; }

    [Id(3)] public required DateTimeOffset CreatedAt { get; init; }

    [Id(4)] public required string CallerKeyId { get; init; }

    /// <summary><c>read</c>, <c>list</c>, <c>lookup</c>, <c>search</c> or <c>rag</c>.</summary>
    [Id(5)] public required string Action { get; init; }

    /// <summary>A record type name, or <c>document</c>, <c>search</c>, <c>rag</c>.</summary>
    [Id(6)] public required string ResourceType { get; init; }

    [Id(7)] public string? ResourceId { get; init; }

    /// <summary>The item's owners: <c>user:&lt;id&gt;</c> and its ownership scopes <c>ns:value</c>.</summary>
    [Id(8)] public IReadOnlyList<string> Subjects { get; init; } = [];

    [Id(9)] public required bool RevealedSensitive { get; init; }

    [Id(10)] public IReadOnlyList<string> SensitiveFields { get; init; } = [];

    /// <summary>Set by the writer from the retention settings.</summary>
    [Id(11)] public DateTimeOffset? RetainUntil { get; init; }
}

/// <summary>What a front end's buffer hands to the writer in one call.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ApiLogBatch")]
public sealed record ApiLogBatch(
    [property: Id(0)] IReadOnlyList<ApiCallEntry> Calls,
    [property: Id(1)] IReadOnlyList<ReadAccessEntry> Reads);

/// <summary>Admin-log filters (spec getAdminLogs L329); the tenant comes from the grain key, never from input.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ApiCallQuery")]
public sealed record ApiCallQuery
{
    [Id(0)] public required DateTimeOffset Start { get; init; }

    [Id(1)] public required DateTimeOffset End { get; init; }

    [Id(2)] public string? Resource { get; init; }

    [Id(3)] public string? Method { get; init; }

    [Id(4)] public string? KeyId { get; init; }

    [Id(5)] public string? ContextId { get; init; }

    [Id(6)] public bool ErrorsOnly { get; init; }

    [Id(7)] public required int Limit { get; init; }
}

/// <summary>Newest first; <see cref="Truncated"/> when more rows matched than the limit (spec AdminLogsResponse).</summary>
[GenerateSerializer, Immutable, Alias("vectros.ApiCallPage")]
public sealed record ApiCallPage(
    [property: Id(0)] IReadOnlyList<ApiCallEntry> Entries,
    [property: Id(1)] bool Truncated);

/// <summary>Access-log filters (spec getAccessLog L58); the tenant comes from the grain key.</summary>
[GenerateSerializer, Immutable, Alias("vectros.ReadAccessQuery")]
public sealed record ReadAccessQuery
{
    [Id(0)] public string? ContextId { get; init; }

    /// <summary>Subjects that must all be among the row's subjects (<c>user:&lt;id&gt;</c>, <c>ns:value</c>).</summary>
    [Id(1)] public IReadOnlyList<string> Subjects { get; init; } = [];

    [Id(2)] public string? ResourceId { get; init; }

    [Id(3)] public string? CallerKeyId { get; init; }

    [Id(4)] public DateTimeOffset? From { get; init; }

    [Id(5)] public DateTimeOffset? To { get; init; }

    [Id(6)] public string? Action { get; init; }

    [Id(7)] public string? ResourceType { get; init; }

    [Id(8)] public bool? RevealedSensitive { get; init; }

    /// <summary>The grain's cursor: the last row's id.</summary>
    [Id(9)] public string? StartFrom { get; init; }

    [Id(10)] public required int Limit { get; init; }
}

[GenerateSerializer, Immutable, Alias("vectros.ReadAccessPage")]
public sealed record ReadAccessPage(
    [property: Id(0)] IReadOnlyList<ReadAccessEntry> Entries,
    [property: Id(1)] string? NextCursor);
