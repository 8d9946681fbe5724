using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Search;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>
/// The keyword lane: chunks whose <c>tsv</c> matches the query (GIN index), ranked by <c>ts_rank_cd</c> normalised
/// to [0, 1) (flag 32: rank / (rank + 1)). It holds no state, so concurrent searches may interleave on one
/// activation (<c>[Reentrant]</c>): each is one SQL statement.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TextLaneGrain(NpgsqlDataSource dataSource) : Grain, ITextLaneGrain
{
    async Task<LaneResult> ITextLaneGrain.SearchAsync(CallerContext caller, LaneQuery query)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        var sql = new ChunkSql();
        var tsquery = TextQuery.Sql(sql, query.TextMode, query.Text, query.Slop);
        var where = ChunkPredicates.Where(sql, tenantId, contextId, query.Scope);
        // uniqueDocuments: each source's best chunk only, so Depth and Total count sources.
        var best = query.UniqueSources
            ? "SELECT DISTINCT ON (source_kind, source_id) * FROM matches ORDER BY source_kind, source_id, rank DESC, ordinal"
            : "SELECT * FROM matches";
        var floor = sql.Bind(Of(query.MinRelevance is > 0 ? query.MinRelevance.Value : 0d, NpgsqlTypes.NpgsqlDbType.Double));
        var depth = sql.Bind(Int(query.Depth));
        var text =
            $"""
            WITH q AS MATERIALIZED (SELECT {tsquery} AS tsq),
            matches AS (
                SELECT c.source_kind, c.source_id, c.ordinal, ts_rank_cd(c.tsv, q.tsq, 32) AS rank
                FROM q JOIN chunks c ON c.tsv @@ q.tsq
                WHERE {where}),
            best AS MATERIALIZED ({best}),
            kept AS (SELECT *, count(*) OVER () AS total FROM best WHERE rank >= (SELECT max(rank) FROM best) * {floor})
            SELECT source_kind, source_id, ordinal, rank, total FROM kept
            ORDER BY rank DESC, source_id, ordinal
            LIMIT {depth}
            """;

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(sql.Command(text));
        var hits = new List<LaneHit>();
        var total = 0;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                hits.Add(new LaneHit(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetFloat(3)));
                total = (int)reader.GetInt64(4);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SyntaxError && query.TextMode == TextMode.Complex)
        {
            // COMPLEX passes the query to to_tsquery: its syntax errors are the caller's (never echoed: it is their text).
            throw new ValidationException("query", "query is not a valid COMPLEX text query: use terms joined by & (and), | (or), ! (not), <-> (followed by) and parentheses.");
        }

        return new LaneResult(hits, total);
    }
}
