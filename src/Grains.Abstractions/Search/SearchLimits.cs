namespace Vectros.Grains.Abstractions.Search;

/// <summary>The bounds of a search request (spec SearchRequest, API-DELTA §7; the spec-silent ones are ours: README "Search").</summary>
public static class SearchLimits
{
    public const int DefaultLimit = 20;

    /// <summary>Honoured over the whole range (0.40; 0.31 silently capped at 50).</summary>
    public const int MaxLimit = 100;

    public const int MaxOffset = 200;

    /// <summary>Characters of <c>query</c>: longer texts are documents, not queries, and would only slow both lanes.</summary>
    public const int MaxQueryLength = 2000;

    /// <summary>The spec's HYBRID default: PHRASE with a slop of 3.</summary>
    public const int DefaultSlop = 3;

    /// <summary>Each extra slop step adds one alternative per term pair to the phrase query; 10 is far past useful.</summary>
    public const int MaxSlop = 10;

    /// <summary>Fields in <c>filters</c> (each ANDed).</summary>
    public const int MaxFilterFields = 32;

    /// <summary>Values in one <c>$in</c>/<c>$nin</c> or scalar array.</summary>
    public const int MaxFilterValues = 100;
}
