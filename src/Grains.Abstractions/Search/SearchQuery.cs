using System.Text.Json.Nodes;
using Orleans;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>How results are ranked (spec SearchRequest.mode).</summary>
[GenerateSerializer, Alias("vectros.SearchMode")]
public enum SearchMode
{
    Hybrid,
    Semantic,
    Text,
}

/// <summary>How the keyword lane matches query terms (spec SearchRequest.textMode).</summary>
[GenerateSerializer, Alias("vectros.TextMode")]
public enum TextMode
{
    Or,
    And,
    Phrase,
    Complex,
}

/// <summary>
/// <c>POST /v1/search</c> after the front end has checked every top-level field (ranges, enums, ids, timestamps);
/// <see cref="Filters"/> is still the request's raw <c>filters</c> object, read by the search grain, which knows the
/// context's filterable fields. Tenant and context never travel here: they come from the caller.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.SearchQuery")]
public sealed record SearchQuery
{
    [Id(0)]
    public required string Query { get; init; }

    [Id(1)]
    public SearchMode Mode { get; init; } = SearchMode.Hybrid;

    /// <summary>Null: the spec's default, PHRASE (slop 3) in HYBRID and OR in TEXT (<see cref="SearchLimits"/>).</summary>
    [Id(2)]
    public TextMode? TextMode { get; init; }

    [Id(3)]
    public int Limit { get; init; } = SearchLimits.DefaultLimit;

    [Id(4)]
    public int Offset { get; init; }

    /// <summary>PHRASE only; null = <see cref="SearchLimits.DefaultSlop"/>.</summary>
    [Id(5)]
    public int? Slop { get; init; }

    [Id(6)]
    public double? MinSimilarity { get; init; }

    [Id(7)]
    public double? MinTextRelevance { get; init; }

    [Id(8)]
    public bool UniqueDocuments { get; init; }

    /// <summary>Search documents (contentTypes omitted, empty, or naming <c>documents</c>).</summary>
    [Id(9)]
    public bool Documents { get; init; } = true;

    /// <summary>Search records (contentTypes omitted, empty, or naming <c>records</c>).</summary>
    [Id(10)]
    public bool Records { get; init; } = true;

    [Id(11)]
    public Guid? FolderId { get; init; }

    [Id(12)]
    public Guid? RootFolderId { get; init; }

    [Id(13)]
    public string? TypeName { get; init; }

    [Id(14)]
    public DateTimeOffset? CreatedAfter { get; init; }

    [Id(15)]
    public DateTimeOffset? CreatedBefore { get; init; }

    [Id(16)]
    public Guid? UserId { get; init; }

    /// <summary>Ownership filters, each <c>ns:value</c>: the 0.40 <c>scope</c>, or the 0.31 orgId/clientId as org:/client:.</summary>
    [Id(17)]
    public IReadOnlyList<string> Scopes { get; init; } = [];

    [Id(18)]
    public JsonObject? Filters { get; init; }

    [Id(19)]
    public bool RequireComplete { get; init; }

    /// <summary>The text mode in force: the request's, else the spec's default for <see cref="Mode"/>.</summary>
    public TextMode EffectiveTextMode => TextMode ?? (Mode == SearchMode.Text ? Search.TextMode.Or : Search.TextMode.Phrase);

    /// <summary>The slop in force (PHRASE only; 0 for the other text modes).</summary>
    public int EffectiveSlop => EffectiveTextMode == Search.TextMode.Phrase ? Slop ?? SearchLimits.DefaultSlop : 0;
}
