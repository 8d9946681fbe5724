using Npgsql;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Search;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The vector lane's HNSW settings (pgvector 0.8 iterative scans) and what they are for: a selective tenant filter
/// must not cost recall.
/// </summary>
public sealed class SearchVectorLaneTests : SearchTestBase
{
    [Fact]
    public async Task Lane_settings_hold_for_the_search_statement_and_never_leak_to_the_pooled_connection()
    {
        await using var conn = await Db.OpenConnectionAsync();
        await using (var load = new NpgsqlCommand("SELECT '[1,2,3]'::vector", conn))
        {
            await load.ExecuteScalarAsync(); // pgvector's settings exist once its library is loaded
        }

        await using (var batch = new NpgsqlBatch(conn))
        {
            batch.BatchCommands.Add(LaneStatements.Settings(efSearch: 123, maxScanTuples: 45678));
            batch.BatchCommands.Add(new NpgsqlBatchCommand(
                "SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan'), current_setting('hnsw.max_scan_tuples')"));
            await using var reader = await batch.ExecuteReaderAsync();
            await reader.NextResultAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("123", "relaxed_order", "45678"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        await using var after = new NpgsqlCommand(
            "SELECT current_setting('hnsw.ef_search'), current_setting('hnsw.iterative_scan'), current_setting('hnsw.max_scan_tuples')", conn);
        await using var defaults = await after.ExecuteReaderAsync();
        Assert.True(await defaults.ReadAsync());
        Assert.Equal(("40", "off", "20000"), (defaults.GetString(0), defaults.GetString(1), defaults.GetString(2)));
    }

    [Fact]
    public async Task A_small_context_is_searched_exactly_and_a_large_one_through_the_index()
    {
        await SeedAsync([.. Enumerable.Range(0, 30).Select(i => new ChunkSeed($"entry {i}"))]);
        async Task<bool> LargerAsync(int limit)
        {
            await using var batch = Db.CreateBatch();
            batch.BatchCommands.Add(LaneStatements.ContextLarger(Partner.TestTenantId, "default", limit));
            return (bool)(await batch.ExecuteScalarAsync())!;
        }

        Assert.False(await LargerAsync(30));
        Assert.True(await LargerAsync(29));

        // The exact form orders by an expression the HNSW index cannot serve, whatever the planner thinks of the sizes.
        var query = new LaneQuery { Scope = new ChunkScope(), Depth = 10, Vector = new float[384] };
        query.Vector![0] = 1;
        var plan = await ExplainAsync(LaneStatements.Vector(Partner.TestTenantId, "default", query, 10, new SearchOptions(), exact: true)[1]);
        Assert.DoesNotContain("chunks_embedding", plan, StringComparison.Ordinal);
    }

    private async Task<string> ExplainAsync(NpgsqlBatchCommand command)
    {
        await using var batch = Db.CreateBatch();
        command.CommandText = "EXPLAIN " + command.CommandText;
        batch.BatchCommands.Add(command);
        var lines = new List<string>();
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public async Task A_small_tenant_among_large_ones_gets_every_chunk_it_asks_for()
    {
        var crowd = await Server.CreatePartnerAsync("search-crowd");
        var words = new[] { "river", "stone", "lantern", "meadow", "copper", "harvest", "signal", "orchard", "glacier", "ember" };
        await SeedAsync([.. Enumerable.Range(0, 1500).Select(i =>
            new ChunkSeed($"{words[i % 10]} {words[i / 10 % 10]} {words[i / 100 % 10]} crowd note {i}") { TenantId = crowd.TestTenantId })]);
        var mine = Enumerable.Range(0, 25).Select(_ => Guid.CreateVersion7()).ToList();
        await SeedAsync([.. mine.Select((id, i) => new ChunkSeed($"{words[i % 10]} {words[(i + 3) % 10]} private entry {i}") { SourceId = id })]);

        var response = await SearchAsync(new { query = "river stone lantern", mode = "SEMANTIC", limit = 25 });
        Assert.Equal(mine.Order(), Ids(response).Order());
    }
}
