using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Search;

/// <summary>
/// The keyword lane of one context (<see cref="LaneStatements.Text"/>). It holds no state, so concurrent searches
/// may interleave on one activation (<c>[Reentrant]</c>): each is one SQL statement.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class TextLaneGrain(NpgsqlDataSource dataSource) : Grain, ITextLaneGrain
{
    async Task<LaneResult> ITextLaneGrain.SearchAsync(CallerContext caller, LaneQuery query)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LaneStatements.Text(tenantId, contextId, query));
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
