using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Concurrency;
using Pgvector;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Search;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>
/// The semantic lane: the chunks nearest the query vector by cosine distance, through the HNSW index with
/// pgvector 0.8 iterative scans (<c>relaxed_order</c>): when the tenant, context and filter predicates reject what
/// the first pass found, the scan goes on (up to <c>hnsw.max_scan_tuples</c>) instead of returning too few rows.
/// The settings are <c>set_config(…, is_local)</c> in the statement batch's own transaction, so they never leak
/// to the pooled connection's next user; relaxed order is restored by sorting the materialised candidates. No
/// state: concurrent searches may interleave on one activation (<c>[Reentrant]</c>).
/// </summary>
[StatelessWorker, Reentrant]
public sealed class VectorLaneGrain(NpgsqlDataSource dataSource, IOptions<SearchOptions> options) : Grain, IVectorLaneGrain
{
    async Task<LaneResult> IVectorLaneGrain.SearchAsync(CallerContext caller, LaneQuery query)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        var settings = options.Value;
        var candidates = query.UniqueSources ? query.Depth * settings.UniqueFanout : query.Depth;
        var efSearch = Math.Clamp((int)Math.Ceiling(candidates * settings.EfSearchFactor), settings.EfSearchMin, 1000);

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Settings(efSearch, settings.MaxScanTuples));
        batch.BatchCommands.Add(Nearest(tenantId, contextId, query, candidates));

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

    /// <summary>SQL of the vector lane's settings for one search (also issued verbatim by the search benchmark's baseline).</summary>
    public static NpgsqlBatchCommand Settings(int efSearch, int maxScanTuples)
    {
        var command = new NpgsqlBatchCommand(
            "SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), " +
            "set_config('hnsw.max_scan_tuples', $2, true)");
        command.Parameters.Add(Text(efSearch.ToString(CultureInfo.InvariantCulture)));
        command.Parameters.Add(Text(maxScanTuples.ToString(CultureInfo.InvariantCulture)));
        return command;
    }

    private static NpgsqlBatchCommand Nearest(string tenantId, string contextId, LaneQuery query, int candidates)
    {
        var sql = new ChunkSql();
        var vector = sql.Bind(new NpgsqlParameter { Value = new Vector(query.Vector ?? throw new ArgumentException("The vector lane needs a vector.", nameof(query))) });
        var where = ChunkPredicates.Where(sql, tenantId, contextId, query.Scope);
        var limit = sql.Bind(Of(candidates, NpgsqlDbType.Integer));
        return sql.Command(
            $"""
            WITH nearest AS MATERIALIZED (
                SELECT c.source_kind, c.source_id, c.ordinal, c.embedding <=> {vector} AS distance
                FROM chunks c
                WHERE c.embedding IS NOT NULL AND {where}
                ORDER BY c.embedding <=> {vector}
                LIMIT {limit})
            SELECT source_kind, source_id, ordinal, distance FROM nearest ORDER BY distance, source_id, ordinal
            """);
    }
}
