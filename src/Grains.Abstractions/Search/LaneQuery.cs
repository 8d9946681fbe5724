using Orleans;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>What the coordinator asks of one lane: the best <see cref="Depth"/> chunks in <see cref="Scope"/>.</summary>
[GenerateSerializer, Immutable, Alias("vectros.LaneQuery")]
public sealed record LaneQuery
{
    [Id(0)]
    public required ChunkScope Scope { get; init; }

    [Id(1)]
    public required int Depth { get; init; }

    /// <summary>Keep only each source's best chunk (<c>uniqueDocuments</c>); <see cref="Depth"/> then counts sources.</summary>
    [Id(2)]
    public bool UniqueSources { get; init; }

    /// <summary>Text lane: the query text, matched by <see cref="TextMode"/>.</summary>
    [Id(3)]
    public string Text { get; init; } = "";

    [Id(4)]
    public TextMode TextMode { get; init; }

    [Id(5)]
    public int Slop { get; init; }

    /// <summary>Text lane: keep chunks ranked at least this fraction of the top chunk's rank (spec minTextRelevance).</summary>
    [Id(6)]
    public double? MinRelevance { get; init; }

    /// <summary>Vector lane: the query's embedding.</summary>
    [Id(7)]
    public float[]? Vector { get; init; }

    /// <summary>Vector lane: drop chunks less similar than this (cosine similarity, spec minSimilarity).</summary>
    [Id(8)]
    public double? MinSimilarity { get; init; }
}

/// <summary>A lane's ranked candidates, best first.</summary>
[GenerateSerializer, Immutable, Alias("vectros.LaneResult")]
public sealed record LaneResult(
    [property: Id(0)] IReadOnlyList<LaneHit> Hits,
    [property: Id(1)] int Total);

/// <summary>One candidate chunk and the lane's own score for it (text: ts_rank_cd normalised to [0, 1); vector: cosine similarity).</summary>
[GenerateSerializer, Immutable, Alias("vectros.LaneHit")]
public sealed record LaneHit(
    [property: Id(0)] string SourceKind,
    [property: Id(1)] Guid SourceId,
    [property: Id(2)] int Ordinal,
    [property: Id(3)] double Score);
