using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Search;

/// <summary>
/// The semantic lane of one context (<see cref="LaneStatements.Vector"/>): the chunks nearest the query vector through
/// the HNSW index with pgvector 0.8 iterative scans (<c>relaxed_order</c>), so that when the tenant, context and filter
/// predicates reject what a first pass found the scan goes on (up to <c>hnsw.max_scan_tuples</c>) instead of
/// returning too few rows; relaxed order is restored by sorting the materialised candidates. A small context is
/// searched exactly instead. The only state is that size check's answer, which interleaving searches may both
/// refresh harmlessly, so they may interleave on one activation (<c>[Reentrant]</c>).
/// </summary>
[StatelessWorker, Reentrant]
public sealed class VectorLaneGrain(NpgsqlDataSource dataSource, IOptions<SearchOptions> options, TimeProvider timeProvider) : Grain, IVectorLaneGrain
{
    private static readonly TimeSpan SizeMemory = TimeSpan.FromMinutes(1);

    private (bool Large, DateTimeOffset At)? _size;

    async Task<LaneResult> IVectorLaneGrain.SearchAsync(CallerContext caller, LaneQuery query)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        // uniqueDocuments: read several chunks per source wanted, then keep each source's nearest.
        var candidates = query.UniqueSources ? query.Depth * options.Value.UniqueFanout : query.Depth;
        var exact = !await LargeAsync(tenantId, contextId);
        await using var batch = dataSource.CreateBatch();
        foreach (var command in LaneStatements.Vector(tenantId, contextId, query, candidates, options.Value, exact))
        {
            batch.BatchCommands.Add(command);
        }

        var hits = new List<LaneHit>();
        var seen = new HashSet<(string, Guid)>();
        var floor = query.MinSimilarity ?? double.NegativeInfinity;
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            while (await reader.ReadAsync())
            {
                var similarity = 1 - reader.GetDouble(3);
                if (similarity < floor)
                {
                    break; // rows come nearest first: every later one is further still
                }

                var hit = new LaneHit(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), similarity);
                if (!query.UniqueSources || seen.Add((hit.SourceKind, hit.SourceId)))
                {
                    hits.Add(hit);
                }
            }
        }

        return new LaneResult(hits.Count > query.Depth ? hits[..query.Depth] : hits, hits.Count);
    }

    /// <summary>
    /// Whether the context is past <see cref="SearchOptions.ExactSearchMaxChunks"/>, remembered for a minute per
    /// activation (a context that just crossed the line is searched the old way a little longer: both are correct).
    /// </summary>
    private async Task<bool> LargeAsync(string tenantId, string contextId)
    {
        var now = timeProvider.GetUtcNow();
        if (_size is { } known && now - known.At < SizeMemory)
        {
            return known.Large;
        }

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LaneStatements.ContextLarger(tenantId, contextId, options.Value.ExactSearchMaxChunks));
        var large = (bool)(await batch.ExecuteScalarAsync())!;
        _size = (large, now);
        return large;
    }
}
