using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Search;

/// <summary>Ranking and index settings of search, bound from <c>Vectros:Search</c> (README "Search" has the measurements behind the defaults).</summary>
public sealed class SearchOptions
{
    public const string Section = "Vectros:Search";

    /// <summary>The k of Reciprocal Rank Fusion: a result's fused score is the sum over lanes of 1 / (k + its rank).</summary>
    [Range(1, 1000)]
    public int RrfK { get; set; } = 60;

    /// <summary>In HYBRID each lane returns at least this many candidates, so fusion sees past the requested page.</summary>
    [Range(1, 1000)]
    public int HybridCandidates { get; set; } = 100;

    /// <summary>With uniqueDocuments the vector lane reads this many chunks per source it must return, then keeps each source's best.</summary>
    [Range(1, 50)]
    public int UniqueFanout { get; set; } = 4;

    /// <summary>hnsw.ef_search = clamp(candidates × <see cref="EfSearchFactor"/>, <see cref="EfSearchMin"/>, 1000).</summary>
    [Range(1, 1000)]
    public int EfSearchMin { get; set; } = 400;

    [Range(1.0, 20.0)]
    public double EfSearchFactor { get; set; } = 2.0;

    /// <summary>hnsw.max_scan_tuples: how far an iterative scan may go looking for rows that pass the filters.</summary>
    [Range(1000, 100_000_000)]
    public int MaxScanTuples { get; set; } = 20_000;

    /// <summary>
    /// A context with at most this many chunks is searched exactly (scan and sort) instead of through the
    /// HNSW index: perfect recall, and faster than an iterative index scan that must skip other tenants' rows.
    /// </summary>
    [Range(0, 10_000_000)]
    public int ExactSearchMaxChunks { get; set; } = 10_000;

    /// <summary>A lane that has not answered by then is treated as failed (the search degrades, or 503 with requireComplete).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan LaneTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
