using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>Turn-based concurrency (DESIGN §3 "Turns", "Stateless workers").</summary>
public sealed class ConcurrencyTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Concurrent_calls_to_one_grain_never_overlap()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<ISerialGrain>(probeId);

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => grain.WorkAsync(probeId)));

        var probe = Probe.For(probeId);
        Assert.Equal(1000, probe.Count("work"));
        Assert.Equal(1, probe.MaxInside);
        Assert.Equal(0, probe.Violations);
        Assert.Equal(1, host.ActivationsOf<ISerialGrain>());
    }

    [Fact]
    public async Task ReadOnly_calls_interleave_with_each_other()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<ISerialGrain>(probeId);

        // Each call returns only once both are inside the grain: impossible one turn at a time.
        var met = await Task.WhenAll(grain.MeetReadOnlyAsync(probeId, 2), grain.MeetReadOnlyAsync(probeId, 2));

        Assert.Equal([true, true], met);
    }

    [Fact]
    public async Task ReadOnly_calls_never_overlap_other_turns()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<ISerialGrain>(probeId);

        await Task.WhenAll(Enumerable.Range(0, 400).Select(i => i % 3 == 0 ? grain.WorkAsync(probeId) : grain.ReadAsync(probeId)));

        var probe = Probe.For(probeId);
        Assert.Equal(134, probe.Count("work"));
        Assert.Equal(266, probe.Count("read"));
        Assert.Equal(0, probe.Violations);
    }

    [Fact]
    public async Task Reentrant_grain_calls_interleave()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<IReentrantGrain>(probeId);

        var met = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => grain.MeetAsync(probeId, 3)));

        Assert.All(met, Assert.True);
    }

    [Fact]
    public async Task Stateless_workers_run_calls_in_parallel_up_to_their_limit()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<IWorkerGrain>("lookup");

        // Four calls that each wait until all four are inside: needs four activations at once.
        var met = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => grain.MeetAsync(probeId, 4)));
        Assert.All(met, Assert.True);

        var more = Probe.NewId();
        var all = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => grain.MeetAsync(more, 1)));
        Assert.All(all, Assert.True);
        Assert.Equal(4, host.ActivationsOf<IWorkerGrain>());
    }
}
