using Npgsql;
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
