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
/// returning too few rows; relaxed order is restored by sorting the materialised candidates. No state: concurrent
/// searches may interleave on one activation (<c>[Reentrant]</c>).
/// </summary>
[StatelessWorker, Reentrant]
public sealed class VectorLaneGrain(NpgsqlDataSource dataSource, IOptions<SearchOptions> options) : Grain, IVectorLaneGrain
{
    async Task<LaneResult> IVectorLaneGrain.SearchAsync(CallerContext caller, LaneQuery query)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        // uniqueDocuments: read several chunks per source wanted, then keep each source's nearest.
        var candidates = query.UniqueSources ? query.Depth * options.Value.UniqueFanout : query.Depth;
        await using var batch = dataSource.CreateBatch();
        foreach (var command in LaneStatements.Vector(tenantId, contextId, query, candidates, options.Value))
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
}
