using Orleans.TestingHost;
using Vectros.Grains.Tests.Probes;
using Vectros.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Vectros.Grains.Tests;

/// <summary>Reminders are durable: rows in orleans_reminders, owned by whichever live silo holds their hash range.</summary>
public sealed class ReminderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_reminder_keeps_firing_after_the_whole_cluster_restarts()
    {
        await using var database = await TestDatabase.CreateAsync("reminders");
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var key = $"restart#{Guid.NewGuid():N}";

        await using (var first = await PostgresTestCluster.StartAsync(database, silos: 1, serviceId))
        {
            await first.GrainFactory.GetGrain<IReminderProbeGrain>(key).StartAsync(Period);
            await Poll.UntilAsync(() => ReminderLog.For(key).Count > 0, "a first tick");
            await first.StopAllSilosAsync();
        }

        var restartedAt = DateTimeOffset.UtcNow;
        await using var second = await PostgresTestCluster.StartAsync(database, silos: 1, serviceId);

        // Nobody calls the grain: the new cluster's reminder service finds the row and activates it.
        var waited = await Poll.UntilAsync(() => ReminderLog.For(key).Any(t => t.At > restartedAt), "a tick after the restart");
        output.WriteLine($"first tick after restart: {waited.TotalSeconds:0.0} s");
        await second.GrainFactory.GetGrain<IReminderProbeGrain>(key).StopAsync();
    }

    [Fact]
    public async Task A_reminder_of_a_grain_whose_silo_died_fires_on_the_survivor()
    {
        await using var database = await TestDatabase.CreateAsync("reminderfail");
        await using var cluster = await PostgresTestCluster.StartAsync(database, silos: 2);
        var grains = cluster.GrainFactory;

        // Find a grain activated on the second silo (placement picks silos; try keys until one lands there).
        var secondary = cluster.Silos[1];
        var survivor = cluster.Silos[0].SiloAddress.ToString();
        string key;
        var attempt = 0;
        do
        {
            key = $"failover#{attempt++}#{Guid.NewGuid():N}";
        }
        while (await grains.GetGrain<IReminderProbeGrain>(key).SiloAsync() != secondary.SiloAddress.ToString() && attempt < 50);
        Assert.Equal(secondary.SiloAddress.ToString(), await grains.GetGrain<IReminderProbeGrain>(key).SiloAsync());

        await grains.GetGrain<IReminderProbeGrain>(key).StartAsync(Period);
        await Poll.UntilAsync(() => ReminderLog.For(key).Count > 0, "a first tick");

        var killedAt = DateTimeOffset.UtcNow;
        await cluster.KillSiloAsync(secondary);

        var waited = await Poll.UntilAsync(
            () => ReminderLog.For(key).Any(t => t.At > killedAt && t.Silo == survivor),
            "a tick on the surviving silo");
        output.WriteLine($"first tick on the survivor {waited.TotalSeconds:0.0} s after the kill");
        await grains.GetGrain<IReminderProbeGrain>(key).StopAsync();
    }
}
