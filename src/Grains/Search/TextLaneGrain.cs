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
    async Task<LaneResult> ITextLaneGrain.SearchAsync(CallerContext caller, LaneQuery query, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = LaneKey.Check(this, caller);
        var unrestricted = SearchVisibility.Unrestricted(caller);
        for (var (depth, round) = (query.Depth, 0); ; depth *= SearchVisibility.Growth, round++)
        {
            var (rows, total) = await ReadAsync(tenantId, contextId, query with { Depth = depth }, cancellationToken);
            if (unrestricted)
            {
                return new LaneResult([.. rows.Select(r => r.Hit)], total);
            }

            // Invisible candidates leave before fusion (SearchVisibility); the total counts visible chunks only, so a
            // caller learns nothing of what it may not read (a lower bound while the scan was cut short).
            var visible = rows.Where(r => SearchVisibility.Visible(caller, r.Hit.SourceKind, r.TypeName, r.UserId, r.Scopes)).Select(r => r.Hit).ToList();
            var exhausted = rows.Count < depth;
            if (exhausted || visible.Count >= query.Depth || round == SearchVisibility.MaxRounds)
            {
                return new LaneResult(visible.Count > query.Depth ? visible[..query.Depth] : visible, visible.Count);
            }
        }
    }

    private async Task<(List<(LaneHit Hit, string? TypeName, Guid? UserId, string[] Scopes)> Rows, int Total)> ReadAsync(
        string tenantId, string contextId, LaneQuery query, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(LaneStatements.Text(tenantId, contextId, query));
        var rows = new List<(LaneHit, string?, Guid?, string[])>();
        var total = 0;
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((new LaneHit(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetFloat(3)),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetGuid(6), reader.GetFieldValue<string[]>(7)));
                total = (int)reader.GetInt64(4);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.SyntaxError && query.TextMode == TextMode.Complex)
        {
            // COMPLEX passes the query to to_tsquery: its syntax errors are the caller's (never echoed: it is their text).
            throw new ValidationException("query", "query is not a valid COMPLEX text query: use terms joined by & (and), | (or), ! (not), <-> (followed by) and parentheses.");
        }

        return (rows, total);
    }
}
