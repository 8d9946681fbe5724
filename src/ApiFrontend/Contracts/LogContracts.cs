using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec LogEntry (L5572) plus the 0.40 <c>requestId</c>, <c>errorCode</c> and <c>delegationChain</c> (API-DELTA §12),
/// the last two null when not set. <c>path</c> is the route template: ids and query strings are never logged.
/// </summary>
public sealed record LogEntryResponse
{
    public required string Timestamp { get; init; }

    public required string Method { get; init; }

    public required string Resource { get; init; }

    public string? ContextId { get; init; }

    public required int Status { get; init; }

    public string? KeyId { get; init; }

    public required long DurationMs { get; init; }

    public required string Path { get; init; }

    public required string RequestId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ErrorCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DelegationChain { get; init; }

    public static LogEntryResponse From(ApiCallEntry e) => new()
    {
        Timestamp = Timestamps.Format(e.Timestamp),
        Method = e.Method,
        Resource = e.Resource,
        ContextId = e.ContextId,
        Status = e.Status,
        KeyId = e.CredentialId,
        DurationMs = e.DurationMs,
        Path = e.Route,
        RequestId = e.RequestId,
        ErrorCode = e.ErrorCode,
        DelegationChain = e.DelegationChain,
    };
}

/// <summary>Spec AdminLogsResponse (L5543): newest first, not paged; <c>truncated</c> asks for a narrower window.</summary>
public sealed record AdminLogsResponse(
    IReadOnlyList<LogEntryResponse> Entries,
    bool Truncated,
    long QueryDurationMs,
    string TenantId);

/// <summary>
/// Spec ReadAccessLogResponse (L5308). <c>subjectType</c>/<c>subjectId</c> name the read item's owner (its user, else
/// its first ownership scope); the 0.31 <c>clientId</c> is its <c>client:</c> scope, kept beside the 0.40 shape.
/// </summary>
public sealed record ReadAccessLogResponse
{
    public required string Id { get; init; }

    public required string ContextId { get; init; }

    public string? SubjectType { get; init; }

    public string? SubjectId { get; init; }

    public string? ClientId { get; init; }

    public required string CallerKeyId { get; init; }

    public required string Action { get; init; }

    public required string ResourceType { get; init; }

    public string? ResourceId { get; init; }

    public required bool RevealedSensitive { get; init; }

    public required string AuditDisposition { get; init; }

    public string? RetainUntil { get; init; }

    public required string CreatedAt { get; init; }

    public static ReadAccessLogResponse From(ReadAccessEntry e)
    {
        var subject = e.Subjects.FirstOrDefault();
        var colon = subject?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var client = e.Subjects.FirstOrDefault(s => s.StartsWith("client:", StringComparison.Ordinal));
        return new()
        {
            Id = e.Id.ToString("D"),
            ContextId = e.ContextId,
            SubjectType = colon > 0 ? subject![..colon] : null,
            SubjectId = colon > 0 ? subject![(colon + 1)..] : null,
            ClientId = client?["client:".Length..],
            CallerKeyId = e.CallerKeyId,
            Action = e.Action,
            ResourceType = e.ResourceType,
            ResourceId = e.ResourceId,
            RevealedSensitive = e.RevealedSensitive,
            AuditDisposition = "retain",
            RetainUntil = e.RetainUntil is { } until ? Timestamps.Format(until) : null,
            CreatedAt = Timestamps.Format(e.CreatedAt),
        };
    }
}
