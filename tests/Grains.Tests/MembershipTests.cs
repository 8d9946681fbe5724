using Npgsql;
using Vectros.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Vectros.Grains.Tests;

/// <summary>Clustering through our membership queries: live silos are Active rows, a killed one is declared Dead.</summary>
public sealed class MembershipTests(ITestOutputHelper output)
{
    private const int Active = 3;
    private const int Dead = 6;

    [Fact]
    public async Task Live_silos_are_active_rows_and_a_killed_silo_is_declared_dead_by_the_survivor()
    {
        await using var database = await TestDatabase.CreateAsync("membership");
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);
        await using var cluster = await PostgresTestCluster.StartAsync(database, silos: 2);
        var clusterId = cluster.Options.ClusterId;

        var rows = await StatusesAsync(db, clusterId);
        Assert.Equal(2, rows.Count);
        Assert.All(rows.Values, status => Assert.Equal(Active, status));
        var version = await TableVersionAsync(db, clusterId);
        Assert.True(version >= 2, $"each join bumps the table version (was {version})");

        var victim = cluster.Silos[1];
        var survivor = cluster.Silos[0];
        await cluster.KillSiloAsync(victim);

        var waited = await Poll.UntilAsync(
            async () => (await StatusesAsync(db, clusterId)).GetValueOrDefault(victim.SiloAddress!.Endpoint.Port) == Dead,
            "the killed silo's row to turn Dead");
        output.WriteLine($"declared dead {waited.TotalSeconds:0.0} s after the kill");
        Assert.Equal(Active, (await StatusesAsync(db, clusterId))[survivor.SiloAddress.Endpoint.Port]);
    }

    private static async Task<Dictionary<int, int>> StatusesAsync(NpgsqlDataSource db, string clusterId)
    {
        await using var cmd = db.CreateCommand("SELECT port, status FROM orleans_membership WHERE deployment_id = $1");
        cmd.Parameters.AddWithValue(clusterId);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new Dictionary<int, int>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetInt32(0)] = reader.GetInt32(1);
        }

        return rows;
    }

    private static async Task<int> TableVersionAsync(NpgsqlDataSource db, string clusterId)
    {
        await using var cmd = db.CreateCommand("SELECT version FROM orleans_membership_version WHERE deployment_id = $1");
        cmd.Parameters.AddWithValue(clusterId);
        return (int)(await cmd.ExecuteScalarAsync())!;
    }
}
