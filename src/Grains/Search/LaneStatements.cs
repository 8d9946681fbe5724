using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Storage;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>
/// The SQL of the two lanes, one builder each, bound to the caller's tenant and context. Public so the search
/// benchmark issues exactly these statements through Npgsql as its baseline.
/// </summary>
public static class LaneStatements
{
    /// <summary>
    /// The keyword lane: chunks whose <c>tsv</c> matches (GIN index), ranked by <c>ts_rank_cd</c> normalised to [0, 1)
    /// (flag 32: rank / (rank + 1)), each source's best chunk only with <see cref="LaneQuery.UniqueSources"/>, cut at
    /// <see cref="LaneQuery.MinRelevance"/> × the top rank. Columns: source_kind, source_id, ordinal, rank, total, and the
    /// source's type_name, user_id and scopes (what <see cref="SearchVisibility"/> judges).
    /// </summary>
    public static NpgsqlBatchCommand Text(string tenantId, string contextId, LaneQuery query)
    {
        var sql = new ChunkSql();
        var tsquery = TextQuery.Sql(sql, query.TextMode, query.Text, query.Slop);
        var where = ChunkPredicates.Where(sql, tenantId, contextId, query.Scope);
        var best = query.UniqueSources
            ? "SELECT DISTINCT ON (source_kind, source_id) * FROM matches ORDER BY source_kind, source_id, rank DESC, ordinal"
            : "SELECT * FROM matches";
        var floor = sql.Bind(Of(query.MinRelevance is > 0 ? query.MinRelevance.Value : 0d, NpgsqlDbType.Double));
        var depth = sql.Bind(Int(query.Depth));
        return sql.Command(
            $"""
            WITH q AS MATERIALIZED (SELECT {tsquery} AS tsq),
            matches AS (
                SELECT c.source_kind, c.source_id, c.ordinal, ts_rank_cd(c.tsv, q.tsq, 32) AS rank, c.type_name, c.user_id, c.scopes
                FROM q JOIN chunks c ON c.tsv @@ q.tsq
                WHERE {where}),
            best AS MATERIALIZED ({best}),
            kept AS (SELECT *, count(*) OVER () AS total FROM best WHERE rank >= (SELECT max(rank) FROM best) * {floor})
            SELECT source_kind, source_id, ordinal, rank, total, type_name, user_id, scopes FROM kept
            ORDER BY rank DESC, source_id, ordinal
            LIMIT {depth}
            """);
    }

    /// <summary>
    /// Whether the context holds more than <paramref name="limit"/> chunks: one bounded count (an index-only scan
    /// that stops after limit + 1 entries), so it costs the same for a context of a million chunks.
    /// </summary>
    public static NpgsqlBatchCommand ContextLarger(string tenantId, string contextId, int limit)
    {
        var command = new NpgsqlBatchCommand(
            """
            SELECT count(*) > $3 FROM (
                SELECT 1 FROM chunks WHERE tenant_id = $1 AND context_id = $2 LIMIT $3 + 1) AS c
            """);
        command.Parameters.Add(SqlParam.Text(tenantId));
        command.Parameters.Add(SqlParam.Text(contextId));
        command.Parameters.Add(Int(limit));
        return command;
    }

    /// <summary>
    /// The semantic lane: the HNSW settings for this statement batch (<see cref="Settings"/>) and the nearest
    /// <paramref name="candidates"/> chunks by cosine distance. Columns of the second: source_kind, source_id, ordinal,
    /// distance, type_name, user_id, scopes. <paramref name="exact"/> (a small context, <see cref="SearchOptions.ExactSearchMaxChunks"/>) orders by
    /// an expression the index cannot serve, so the context's rows are scanned and sorted: exact, and for a few
    /// thousand rows faster than an iterative index scan that must skip every other tenant's neighbours.
    /// </summary>
    public static IReadOnlyList<NpgsqlBatchCommand> Vector(
        string tenantId, string contextId, LaneQuery query, int candidates, SearchOptions settings, bool exact = false)
    {
        var efSearch = Math.Clamp((int)Math.Ceiling(candidates * settings.EfSearchFactor), settings.EfSearchMin, 1000);
        var sql = new ChunkSql();
        var vector = sql.Bind(new NpgsqlParameter { Value = new Vector(query.Vector ?? throw new ArgumentException("The vector lane needs a vector.", nameof(query))) });
        var where = ChunkPredicates.Where(sql, tenantId, contextId, query.Scope);
        var limit = sql.Bind(Int(candidates));
        return
        [
            Settings(efSearch, settings.MaxScanTuples),
            sql.Command(
                $"""
                WITH nearest AS MATERIALIZED (
                    SELECT c.source_kind, c.source_id, c.ordinal, c.embedding <=> {vector} AS distance, c.type_name, c.user_id, c.scopes
                    FROM chunks c
                    WHERE c.embedding IS NOT NULL AND {where}
                    ORDER BY {(exact ? $"(c.embedding <=> {vector}) + 0" : $"c.embedding <=> {vector}")}
                    LIMIT {limit})
                SELECT source_kind, source_id, ordinal, distance, type_name, user_id, scopes FROM nearest ORDER BY distance, source_id, ordinal
                """),
        ];
    }

    /// <summary>
    /// pgvector 0.8's settings for one search, as <c>set_config(…, is_local)</c>: they hold until the end of the
    /// statement batch's own (implicit) transaction and never leak to the pooled connection's next user.
    /// </summary>
    public static NpgsqlBatchCommand Settings(int efSearch, int maxScanTuples)
    {
        var command = new NpgsqlBatchCommand(
            "SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), " +
            "set_config('hnsw.max_scan_tuples', $2, true)");
        command.Parameters.Add(SqlParam.Text(efSearch.ToString(CultureInfo.InvariantCulture)));
        command.Parameters.Add(SqlParam.Text(maxScanTuples.ToString(CultureInfo.InvariantCulture)));
        return command;
    }
}
