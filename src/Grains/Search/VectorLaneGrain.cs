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

    async Task<LaneResult> IVectorLaneGrain.SearchAsync(CallerContext caller, LaneQuery query, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        var exact = !await LargeAsync(tenantId, contextId, cancellationToken);
        var unrestricted = SearchVisibility.Unrestricted(caller);
        for (var (depth, round) = (query.Depth, 0); ; depth *= SearchVisibility.Growth, round++)
        {
            // uniqueDocuments: read several chunks per source wanted, then keep each source's nearest.
            var candidates = query.UniqueSources ? depth * options.Value.UniqueFanout : depth;
            var (hits, exhausted) = await ReadAsync(caller, tenantId, contextId, query, candidates, exact, unrestricted, cancellationToken);

            // Invisible candidates were dropped before the cut to depth (SearchVisibility); deepen until depth are visible.
            if (unrestricted || exhausted || hits.Count >= query.Depth || round == SearchVisibility.MaxRounds)
            {
                return new LaneResult(hits.Count > query.Depth ? hits[..query.Depth] : hits, hits.Count);
            }
        }
    }

    /// <summary>The visible hits among the nearest <paramref name="candidates"/>, and whether the scan ran out of rows.</summary>
    private async Task<(List<LaneHit> Hits, bool Exhausted)> ReadAsync(
        CallerContext caller, string tenantId, string contextId, LaneQuery query, int candidates, bool exact, bool unrestricted, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var command in LaneStatements.Vector(tenantId, contextId, query, candidates, options.Value, exact))
        {
            batch.BatchCommands.Add(command);
        }

        var hits = new List<LaneHit>();
        var seen = new HashSet<(string, Guid)>();
        var floor = query.MinSimilarity ?? double.NegativeInfinity;
        var read = 0;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                var similarity = 1 - reader.GetDouble(3);
                if (similarity < floor)
                {
                    return (hits, true); // rows come nearest first: every later one is further still
                }

                var hit = new LaneHit(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), similarity);
                if (!unrestricted && !SearchVisibility.Visible(caller, hit.SourceKind, reader.IsDBNull(4) ? null : reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.GetFieldValue<string[]>(6)))
                {
                    continue;
                }

                if (!query.UniqueSources || seen.Add((hit.SourceKind, hit.SourceId)))
                {
                    hits.Add(hit);
                }
            }
        }

        return (hits, read < candidates);
    }

    /// <summary>
    /// Whether the context is past <see cref="SearchOptions.ExactSearchMaxChunks"/>, remembered for a minute per
    /// activation (a context that just crossed the line is searched the old way a little longer: both are correct).
    /// </summary>
    private async Task<bool> LargeAsync(string tenantId, string contextId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_size is { } known && now - known.At < SizeMemory)
        {
            return known.Large;
        }

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LaneStatements.ContextLarger(tenantId, contextId, options.Value.ExactSearchMaxChunks));
        var large = (bool)(await batch.ExecuteScalarAsync(cancellationToken))!;
        _size = (large, now);
        return large;
    }
}
