using Npgsql;
using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>Durable reminders (DESIGN §3 "Reminders").</summary>
public sealed class ReminderTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Reminder_registered_before_a_restart_fires_once_across_two_silos()
    {
        var key = Probe.NewId();
        await using (var before = await RuntimeHost.StartAsync(database.ConnectionString))
        {
            await before.Grains.GetGrain<IReminderGrain>(key).RegisterAsync("nightly", TimeSpan.FromSeconds(2), TimeSpan.FromHours(1));
        }

        var probe = Probe.For(key);
        await using var silo1 = await RuntimeHost.StartAsync(database.ConnectionString);
        await using var silo2 = await RuntimeHost.StartAsync(database.ConnectionString);

        await Eventually.TrueAsync(() => probe.Count("reminder:nightly") >= 1, "the reminder to fire");
        await Eventually.TrueAsync(() => LeaseIsClearedAsync(key), "the delivered reminder to be advanced");
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // several more polls of both silos
        Assert.Equal(1, probe.Count("reminder:nightly"));
        Assert.Equal(1, silo1.Statistics.Snapshot().RemindersFired + silo2.Statistics.Snapshot().RemindersFired);
    }

    [Fact]
    public async Task Registering_a_reminder_on_a_grain_that_is_not_remindable_throws()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => host.Grains.GetGrain<INotRemindableGrain>(Probe.NewId()).RegisterAsync("never"));

        Assert.Contains("IRemindable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unregistered_reminder_does_not_fire()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var key = Probe.NewId();
        var grain = host.Grains.GetGrain<IReminderGrain>(key);
        await grain.RegisterAsync("cancelled", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        await grain.RegisterAsync("kept", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        await grain.UnregisterAsync("cancelled");

        await Eventually.TrueAsync(() => Probe.For(key).Count("reminder:kept") == 1, "the kept reminder to fire");

        Assert.Equal(0, Probe.For(key).Count("reminder:cancelled"));
    }

    private async Task<bool> LeaseIsClearedAsync(string key)
    {
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT lease_owner IS NULL AND next_due > first_due FROM reminders WHERE grain_key = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return await command.ExecuteScalarAsync() is true;
    }
}
