using Npgsql;
using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>IPersistentState over grain_state with ETags (DESIGN §3 "State").</summary>
public sealed class StateTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task State_is_written_and_loaded_by_the_next_activation()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var key = Probe.NewId();
        var grain = host.Grains.GetGrain<IProfileGrain>(key);
        Assert.Null(await grain.GetEtagAsync());

        await grain.SetNameAsync("Ada");
        Assert.Equal("1", await grain.GetEtagAsync());
        await grain.SetNameAsync("Ada Lovelace");
        Assert.Equal("2", await grain.GetEtagAsync());
        await grain.DeactivateAsync();

        // The call after DeactivateOnIdle reaches a fresh activation, which reads the row.
        Assert.Equal(new ProfileState { Name = "Ada Lovelace", Revision = 2 }, await grain.GetAsync());
        await using var connection = NpgsqlDataSource.Create(database.ConnectionString);
        await using var command = connection.CreateCommand(
            "SELECT payload->>'name', etag FROM grain_state WHERE grain_type = $1 AND grain_key = $2 AND state_name = 'profile'");
        command.Parameters.Add(new NpgsqlParameter { Value = typeof(IProfileGrain).FullName });
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("Ada Lovelace", reader.GetString(0)); // System.Text.Json web defaults: camelCase
        Assert.Equal(2, reader.GetInt32(1));
    }

    [Fact]
    public async Task Write_with_stale_etag_fails_with_InconsistentStateException()
    {
        // Two silos on one database each hold an activation of the same grain.
        await using var first = await RuntimeHost.StartAsync(database.ConnectionString);
        await using var second = await RuntimeHost.StartAsync(database.ConnectionString);
        var key = Probe.NewId();
        var one = first.Grains.GetGrain<IProfileGrain>(key);
        var two = second.Grains.GetGrain<IProfileGrain>(key);
        Assert.Null(await one.GetEtagAsync());
        Assert.Null(await two.GetEtagAsync());

        // Both believe there is no row; the second insert finds one.
        await one.SetNameAsync("first");
        await Assert.ThrowsAsync<InconsistentStateException>(() => two.SetNameAsync("second"));

        // After re-reading, the second wins, and now the first holds a stale ETag.
        await two.ReloadAsync();
        await two.SetNameAsync("second");
        await Assert.ThrowsAsync<InconsistentStateException>(() => one.SetNameAsync("first again"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => one.ClearAsync());

        await one.ReloadAsync();
        Assert.Equal("second", (await one.GetAsync()).Name);
        Assert.Equal("2", await one.GetEtagAsync());
    }

    [Fact]
    public async Task Clear_deletes_the_row_and_resets_the_state()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var grain = host.Grains.GetGrain<IProfileGrain>(Probe.NewId());
        await grain.SetNameAsync("temporary");

        await grain.ClearAsync();

        Assert.Null(await grain.GetEtagAsync());
        Assert.Equal(new ProfileState(), await grain.GetAsync());
        await grain.ReloadAsync();
        Assert.Null(await grain.GetEtagAsync());
        await grain.SetNameAsync("again");
        Assert.Equal("1", await grain.GetEtagAsync());
    }
}
