using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>The semantic lane of one context (keyed <c>tenant#context</c>): nearest chunks by cosine distance over HNSW.</summary>
[Alias("vectros.IVectorLaneGrain")]
public interface IVectorLaneGrain : IGrainWithStringKey
{
    /// <summary>The chunks nearest <see cref="LaneQuery.Vector"/>; <see cref="LaneResult.Total"/> counts the candidates kept.</summary>
    Task<LaneResult> SearchAsync(CallerContext caller, LaneQuery query, CancellationToken cancellationToken = default);
}
