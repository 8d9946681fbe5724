using System.Text.Json;
using Orleans;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>One page of search results (spec SearchResponse L9297 with the 0.40 <c>hasMore</c>).</summary>
[GenerateSerializer, Immutable, Alias("vectros.SearchOutcome")]
public sealed record SearchOutcome
{
    [Id(0)]
    public required IReadOnlyList<SearchHit> Results { get; init; }

    /// <summary>The size of the matching pool, approximate (README "Search").</summary>
    [Id(1)]
    public required int TotalResults { get; init; }

    [Id(2)]
    public required bool HasMore { get; init; }

    /// <summary>Lanes that failed (<c>text</c>, <c>vector</c>); empty when the search was complete.</summary>
    [Id(3)]
    public required IReadOnlyList<string> DegradedLegs { get; init; }
}

/// <summary>One matching chunk (spec SearchResult L9337 with the 0.40 <c>externalId</c>).</summary>
[GenerateSerializer, Immutable, Alias("vectros.SearchHit")]
public sealed record SearchHit
{
    /// <summary>The source document's or record's id.</summary>
    [Id(0)]
    public required Guid SourceId { get; init; }

    /// <summary><c>document</c> or <c>record</c>.</summary>
    [Id(1)]
    public required string SourceKind { get; init; }

    [Id(2)]
    public required double Score { get; init; }

    [Id(3)]
    public required double TextScore { get; init; }

    [Id(4)]
    public required double SemanticScore { get; init; }

    [Id(5)]
    public required string ChunkText { get; init; }

    [Id(6)]
    public required string ContextText { get; init; }

    /// <summary>HTML-escaped text with the matched terms in <c>&lt;b&gt;</c>.</summary>
    [Id(7)]
    public required string Snippet { get; init; }

    [Id(8)]
    public string? ExternalId { get; init; }

    [Id(9)]
    public required JsonElement Metadata { get; init; }

    [Id(10)]
    public required DateTimeOffset CreatedAt { get; init; }

    [Id(11)]
    public string? TypeName { get; init; }

    [Id(12)]
    public string? Title { get; init; }

    [Id(13)]
    public required int Ordinal { get; init; }
}
