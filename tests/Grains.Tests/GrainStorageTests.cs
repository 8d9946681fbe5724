using Npgsql;
using Orleans;
using Orleans.Storage;
using Orleans.TestingHost;
using Vectros.Grains.Tests.Probes;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Grains.Tests;

/// <summary>
/// IPersistentState through Orleans on the ADO.NET provider and our PostgreSQL query texts: round trip across
/// activations, the ETag conflict, clearing, and the two traps of DESIGN §1 (hex-looking keys, shared state names).
/// </summary>
public sealed class GrainStorageTests(GrainStorageTests.Fixture fixture) : IClassFixture<GrainStorageTests.Fixture>
{
    private TestCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task State_survives_deactivation_and_is_read_back_by_the_next_activation()
    {
        var key = $"round#{Guid.NewGuid():N}";
        var grain = Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key);
        await grain.WriteAsync("first");
        await grain.WriteAsync("second");
        Assert.Equal("2", await grain.ETagAsync());

        await Cluster.DeactivateAsync(grain);

        Assert.Equal("second", await grain.ReadAsync());
        Assert.Equal("2", await grain.ETagAsync());
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_fails_with_InconsistentStateException_and_changes_nothing()
    {
        var key = $"stale#{Guid.NewGuid():N}";
        var grain = Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key);
        await grain.WriteAsync("mine");

        // Another writer (a second activation after a silo failure, say) moved the row on.
        await using (var cmd = fixture.Db.CreateCommand("UPDATE orleans_storage SET version = version + 1 WHERE grain_key = $1"))
        {
            cmd.Parameters.AddWithValue(key);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.WriteAsync("lost"));
        Assert.Equal(2, await VersionAsync(key));
    }

    [Fact]
    public async Task A_first_write_loses_to_a_row_that_already_exists()
    {
        var key = $"race#{Guid.NewGuid():N}";
        var grain = Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key);
        Assert.Null(await grain.ReadAsync()); // the activation read "no row"

        // Meanwhile another activation inserted the row.
        await Cluster.GrainFactory.GetGrain<IOtherStateProbeGrain>(key).WriteAsync("other type"); // a different row...
        await using (var cmd = fixture.Db.CreateCommand(
            """
            INSERT INTO orleans_storage (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version)
            SELECT service_id, replace(grain_type, 'otherstateprobe', 'stateprobe'), grain_id_n0, grain_id_n1, grain_key, payload, 1
            FROM orleans_storage WHERE grain_key = $1
            """))
        {
            cmd.Parameters.AddWithValue(key);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync()); // ...copied under this grain type
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.WriteAsync("mine"));
    }

    [Fact]
    public async Task Clearing_deletes_the_row()
    {
        var key = $"clear#{Guid.NewGuid():N}";
        var grain = Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key);
        await grain.WriteAsync("doomed");
        await grain.ClearAsync();

        Assert.Equal(0L, await CountAsync("SELECT count(*) FROM orleans_storage WHERE grain_key = $1", key));
        await Cluster.DeactivateAsync(grain);
        Assert.Null(await grain.ReadAsync());
    }

    [Fact]
    public async Task Keys_that_read_as_hex_numbers_do_not_share_rows()
    {
        // Orleans' ADO.NET provider stores a string key that parses as a hex number as that number: without the
        // storage in front of it, these three would be one row (upstream dotnet/orleans#9706).
        var suffix = Random.Shared.Next(0x100, 0xfff).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        string[] keys = [$"c{suffix}", $"0c{suffix}", $"C{suffix}"];
        foreach (var key in keys)
        {
            await Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key).WriteAsync($"value of {key}");
        }

        foreach (var key in keys)
        {
            var grain = Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key);
            await Cluster.DeactivateAsync(grain);
            Assert.Equal($"value of {key}", await grain.ReadAsync());
        }
    }

    [Fact]
    public async Task Two_grain_types_with_the_same_state_name_keep_separate_rows()
    {
        var key = $"shared#{Guid.NewGuid():N}";
        await Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key).WriteAsync("one");
        await Cluster.GrainFactory.GetGrain<IOtherStateProbeGrain>(key).WriteAsync("other");

        Assert.Equal(2L, await CountAsync("SELECT count(*) FROM orleans_storage WHERE grain_key = $1", key));
        Assert.Equal("one", await Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key).ReadAsync());
        Assert.Equal("other", await Cluster.GrainFactory.GetGrain<IOtherStateProbeGrain>(key).ReadAsync());
    }

    [Fact]
    public async Task State_is_stored_in_Orleans_binary_format_without_dotnet_type_names()
    {
        var key = $"format#{Guid.NewGuid():N}";
        await Cluster.GrainFactory.GetGrain<IStateProbeGrain>(key).WriteAsync("payload-marker");
        await using var cmd = fixture.Db.CreateCommand("SELECT payload FROM orleans_storage WHERE grain_key = $1");
        cmd.Parameters.AddWithValue(key);
        var payload = (byte[])(await cmd.ExecuteScalarAsync())!;
        var text = System.Text.Encoding.UTF8.GetString(payload);

        Assert.Contains("payload-marker", text, StringComparison.Ordinal);
        Assert.DoesNotContain("$type", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Vectros.Grains.Tests", text, StringComparison.Ordinal);
    }

    private async Task<int> VersionAsync(string key)
    {
        await using var cmd = fixture.Db.CreateCommand("SELECT version FROM orleans_storage WHERE grain_key = $1");
        cmd.Parameters.AddWithValue(key);
        return (int)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync(string sql, string key)
    {
        await using var cmd = fixture.Db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(key);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public sealed class Fixture : IAsyncLifetime
    {
        private TestDatabase _database = null!;

        public TestCluster Cluster { get; private set; } = null!;

        public NpgsqlDataSource Db { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            _database = await TestDatabase.CreateAsync("storage");
            Db = NpgsqlDataSource.Create(_database.ConnectionString);
            Cluster = await PostgresTestCluster.StartAsync(_database);
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            await Db.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}
