using System.Text.Json;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Inference;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// The JSON of each SSE event (spec L10017-L10400): every payload carries both <c>type</c> and <c>event</c> with the
/// event's name, the SSE <c>event:</c> line too (API-DIGEST §3.9).
/// </summary>
public abstract record StreamEventBody(
    [property: JsonPropertyOrder(-2)] string Type,
    [property: JsonPropertyOrder(-1)] string Event)
{
    /// <summary>The wire body of a grain event; null for a heartbeat, which is an SSE comment, not an event.</summary>
    public static StreamEventBody? From(InferenceEvent e) => e switch
    {
        InferenceContentDelta d => new ContentDeltaEvent(d.Delta),
        InferenceDone d => new DoneEvent(d.InputTokens, d.OutputTokens, d.Model, d.PlatformCreditsCharged, d.InferenceBalanceCentsCharged),
        InferenceError x => new ErrorEvent(x.Message, x.Code),
        InferenceDocumentContext c => new DocumentContextEvent(c.DocumentId.ToString(), c.Title, c.TextBytes, c.Model),
        InferenceSearchResults r => new SearchResultsEvent(
            [.. r.Results.Select(RagSearchResult.From)], r.TotalResults, r.SearchTimeMs, r.DegradedLegs.Count > 0, r.DegradedLegs),
        InferenceTruncationWarning w => new TruncationWarningEvent(w.ResultsRequested, w.ResultsUsed, w.Reason),
        _ => null,
    };
}

public sealed record ContentDeltaEvent(string Delta) : StreamEventBody("content_delta", "content_delta");

public sealed record DoneEvent(int InputTokens, int OutputTokens, string Model, double PlatformCreditsCharged, long InferenceBalanceCentsCharged)
    : StreamEventBody("done", "done");

public sealed record ErrorEvent(string Message, string Code) : StreamEventBody("error", "error");

public sealed record DocumentContextEvent(string DocumentId, string? Title, long TextBytes, string Model) : StreamEventBody("document_context", "document_context");

public sealed record SearchResultsEvent(
    IReadOnlyList<RagSearchResult> Results, int TotalResults, long SearchTimeMs, bool Degraded, IReadOnlyList<string> DegradedLegs)
    : StreamEventBody("search_results", "search_results");

public sealed record TruncationWarningEvent(int ResultsRequested, int ResultsUsed, string Reason) : StreamEventBody("truncation_warning", "truncation_warning");

/// <summary>Spec RagSearchResult (L10276) plus the 0.40 <c>externalId</c>, null (not absent) when the source has none.</summary>
public sealed record RagSearchResult(
    string DocumentId,
    double Score,
    double TextScore,
    double SemanticScore,
    string ChunkText,
    string ContextText,
    string Snippet,
    JsonElement Metadata,
    string CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExternalId)
{
    public static RagSearchResult From(SearchHit hit) => new(
        hit.SourceId.ToString(), hit.Score, hit.TextScore, hit.SemanticScore, hit.ChunkText, hit.ContextText, hit.Snippet,
        hit.Metadata, Timestamps.Format(hit.CreatedAt), hit.ExternalId);
}

/// <summary>Documentation only: the SSE events of <c>POST /v1/chat</c> (spec ChatStreamEvent).</summary>
public sealed record ChatStreamEvent(string Type, string Event, string? Delta);

/// <summary>Documentation only: the SSE events of <c>POST /v1/rag</c> (spec RagStreamEvent).</summary>
public sealed record RagStreamEvent(string Type, string Event, string? Delta, IReadOnlyList<RagSearchResult>? Results);

/// <summary>Documentation only: the SSE events of <c>POST /v1/documents/{id}/ask</c> (spec DocumentAskStreamEvent).</summary>
public sealed record DocumentAskStreamEvent(string Type, string Event, string? Delta, string? DocumentId);

/// <summary>The developer portal's top-up (DESIGN §6): a tenant id, or a partner and its environment.</summary>
public sealed record TopUpRequest
{
    public string? TenantId { get; init; }
    public string? PartnerId { get; init; }
    public string? Environment { get; init; }
    public long? AmountCents { get; init; }
    public string? Reference { get; init; }
}

/// <summary>One top-up row of the ledger and the balance after it.</summary>
public sealed record TopUpResponse(string TopUpId, string TenantId, long AmountCents, string Reference, string CreatedAt, long BalanceCents)
{
    public static TopUpResponse From(TopUpResult r) =>
        new(r.TopUpId, r.TenantId, r.AmountCents, r.Reference, Timestamps.Format(r.CreatedAt), r.BalanceCents);
}
