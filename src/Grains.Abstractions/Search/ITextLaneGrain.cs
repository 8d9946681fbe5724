using Orleans;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Abstractions.Search;

/// <summary>The keyword lane of one context (keyed <c>tenant#context</c>): full-text matching ranked by ts_rank_cd.</summary>
[Alias("vectros.ITextLaneGrain")]
public interface ITextLaneGrain : IGrainWithStringKey
{
    /// <summary>The best chunks for <see cref="LaneQuery.Text"/>; <see cref="LaneResult.Total"/> counts every match.</summary>
    Task<LaneResult> SearchAsync(CallerContext caller, LaneQuery query, CancellationToken cancellationToken = default);
}
