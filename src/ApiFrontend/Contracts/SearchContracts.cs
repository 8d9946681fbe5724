using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec SearchRequest (L9402) with the 0.40 <c>scope</c> (API-DELTA §7) beside the 0.31 <c>orgId</c>/<c>clientId</c>.
/// Enums, ids and timestamps arrive as strings so each bad value is a 400 naming its field
/// (<see cref="SearchRequestReader"/>); <c>filters</c> stays JSON for the search grain, which knows the fields.
/// </summary>
public sealed record SearchRequest
{
    public string? Query { get; init; }

    public string? Mode { get; init; }

    public int? Limit { get; init; }

    public int? Offset { get; init; }

    public string? UserId { get; init; }

    public string? OrgId { get; init; }

    public string? ClientId { get; init; }

    public string? Scope { get; init; }

    public JsonObject? Filters { get; init; }

    public string? TextMode { get; init; }

    public double? MinSimilarity { get; init; }

    public double? MinTextRelevance { get; init; }

    public int? Slop { get; init; }

    public bool? UniqueDocuments { get; init; }

    public IReadOnlyList<string>? ContentTypes { get; init; }

    public string? FolderId { get; init; }

    public string? RootFolderId { get; init; }

    public string? TypeName { get; init; }

    public string? CreatedAfter { get; init; }

    public string? CreatedBefore { get; init; }

    public bool? RequireComplete { get; init; }
}

/// <summary>Spec SearchResponse (L9297) plus the 0.40 <c>hasMore</c>.</summary>
public sealed record SearchResponse(
    IReadOnlyList<SearchResult> Results,
    int TotalResults,
    long SearchTimeMs,
    bool Degraded,
    IReadOnlyList<string> DegradedLegs,
    bool HasMore)
{
    public static SearchResponse From(SearchOutcome outcome, long elapsedMs) => new(
        [.. outcome.Results.Select(SearchResult.From)],
        outcome.TotalResults,
        elapsedMs,
        outcome.DegradedLegs.Count > 0,
        outcome.DegradedLegs,
        outcome.HasMore);
}

/// <summary>Spec SearchResult (L9337) plus the 0.40 <c>externalId</c>, which is null (not absent) when the source has none.</summary>
public sealed record SearchResult(
    string DocumentId,
    double Score,
    double TextScore,
    double SemanticScore,
    string ChunkText,
    string ContextText,
    string Snippet,
    string SourceType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? ExternalId,
    JsonElement Metadata,
    string CreatedAt)
{
    public static SearchResult From(SearchHit hit) => new(
        hit.SourceId.ToString(),
        hit.Score,
        hit.TextScore,
        hit.SemanticScore,
        hit.ChunkText,
        hit.ContextText,
        hit.Snippet,
        hit.SourceKind == "record" ? "GenericRecord" : "PartnerDocument",
        hit.ExternalId,
        hit.Metadata,
        Timestamps.Format(hit.CreatedAt));
}

/// <summary>Checks every top-level field of a <see cref="SearchRequest"/> (400 naming it) and builds the grain's query.</summary>
public static class SearchRequestReader
{
    public static SearchQuery Read(SearchRequest body)
    {
        if (string.IsNullOrWhiteSpace(body.Query))
        {
            throw new ValidationException("query", "query is required and must not be empty.");
        }

        if (body.Query.Length > SearchLimits.MaxQueryLength)
        {
            throw new ValidationException("query", $"query may be at most {SearchLimits.MaxQueryLength} characters.");
        }

        // PostgreSQL text cannot hold U+0000, and a lone surrogate is not text at all.
        if (HasLoneSurrogate(body.Query) || body.Query.Contains('\0', StringComparison.Ordinal))
        {
            throw new ValidationException("query", "query is not valid text (a NUL character or a lone surrogate).");
        }

        var (documents, records) = ContentTypes(body.ContentTypes);
        return new SearchQuery
        {
            Query = body.Query,
            Mode = Mode(body.Mode),
            TextMode = TextModeOf(body.TextMode),
            Limit = Range(body.Limit, "limit", 1, SearchLimits.MaxLimit) ?? SearchLimits.DefaultLimit,
            Offset = Range(body.Offset, "offset", 0, SearchLimits.MaxOffset) ?? 0,
            Slop = Range(body.Slop, "slop", 0, SearchLimits.MaxSlop),
            MinSimilarity = body.MinSimilarity is < 0 or > 1
                ? throw new ValidationException("minSimilarity", "minSimilarity must be between 0 and 1.")
                : body.MinSimilarity,
            // The spec: "omit it (or use a value of 0 or less) to keep all keyword matches".
            MinTextRelevance = body.MinTextRelevance is > 1
                ? throw new ValidationException("minTextRelevance", "minTextRelevance must be at most 1 (a fraction of the top keyword score).")
                : body.MinTextRelevance,
            UniqueDocuments = body.UniqueDocuments ?? false,
            Documents = documents,
            Records = records,
            FolderId = Id(body.FolderId, "folderId"),
            RootFolderId = Id(body.RootFolderId, "rootFolderId"),
            TypeName = body.TypeName is null || SchemaTypeNames.IsValid(body.TypeName)
                ? body.TypeName
                : throw new ValidationException("typeName", "typeName is not a valid type name."),
            CreatedAfter = Instant(body.CreatedAfter, "createdAfter"),
            CreatedBefore = Instant(body.CreatedBefore, "createdBefore"),
            UserId = Id(body.UserId, "userId"),
            Scopes = Scopes(body),
            Filters = body.Filters,
            RequireComplete = body.RequireComplete ?? false,
        };
    }

    private static SearchMode Mode(string? mode) => mode switch
    {
        null or "HYBRID" => SearchMode.Hybrid,
        "SEMANTIC" => SearchMode.Semantic,
        "TEXT" => SearchMode.Text,
        _ => throw new ValidationException("mode", "mode must be HYBRID, SEMANTIC or TEXT."),
    };

    private static TextMode? TextModeOf(string? mode) => mode switch
    {
        null => null,
        "OR" => TextMode.Or,
        "AND" => TextMode.And,
        "PHRASE" => TextMode.Phrase,
        "COMPLEX" => TextMode.Complex,
        _ => throw new ValidationException("textMode", "textMode must be OR, AND, PHRASE or COMPLEX."),
    };

    private static int? Range(int? value, string name, int min, int max) =>
        value is { } v && (v < min || v > max) ? throw new ValidationException(name, $"{name} must be between {min} and {max}.") : value;

    /// <summary>Omitted, empty or both: everything (spec SearchRequest.contentTypes).</summary>
    private static (bool Documents, bool Records) ContentTypes(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0)
        {
            return (true, true);
        }

        foreach (var type in types)
        {
            if (type is not ("documents" or "records"))
            {
                throw new ValidationException("contentTypes", "contentTypes may hold only \"documents\" and \"records\".");
            }
        }

        return (types.Contains("documents"), types.Contains("records"));
    }

    /// <summary>The ownership filter: the 0.40 <c>scope</c>, or the 0.31 orgId/clientId as org:/client: (as on the list routes).</summary>
    private static IReadOnlyList<string> Scopes(SearchRequest body)
    {
        var scopes = new List<string>();
        if (body.Scope is { } scope)
        {
            if (body.OrgId is not null || body.ClientId is not null)
            {
                throw new ValidationException("scope", $"Filter by scope or by {(body.OrgId is not null ? "orgId" : "clientId")}, not both.");
            }

            scopes.Add(OwnershipScopes.ReadFilter(scope));
        }

        if (Id(body.OrgId, "orgId") is { } org)
        {
            scopes.Add($"{OwnershipScopes.Org}:{org}");
        }

        if (Id(body.ClientId, "clientId") is { } client)
        {
            scopes.Add($"{OwnershipScopes.Client}:{client}");
        }

        return scopes;
    }

    private static Guid? Id(string? value, string name) =>
        value is null ? null
        : Guid.TryParse(value, out var id) ? id
        : throw new ValidationException(name, $"{name} must be a UUID.");

    /// <summary>An ISO-8601 timestamp; without an offset it is UTC.</summary>
    private static DateTimeOffset? Instant(string? value, string name) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) ? instant
        : throw new ValidationException(name, $"{name} must be an ISO-8601 timestamp, e.g. 2026-05-27T14:00:00Z.");

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
