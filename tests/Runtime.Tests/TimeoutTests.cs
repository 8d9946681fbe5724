using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>Response timeouts (DESIGN §3 "Turns": calls time out, which also breaks call cycles).</summary>
public sealed class TimeoutTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly TimeSpan ShortTimeout = TimeSpan.FromMilliseconds(500);

    [Fact]
    public async Task Call_without_response_fails_with_GrainCallTimeoutException()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString, o => o.ResponseTimeout = ShortTimeout);
        var probeId = Probe.NewId();
        var grain = host.Grains.GetGrain<ISlowGrain>("slow-" + probeId);
        try
        {
            var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => grain.WaitForReleaseAsync(probeId));

            Assert.Contains($"{typeof(ISlowGrain).FullName}/slow-{probeId}", error.Message, StringComparison.Ordinal);
            Assert.Contains("ISlowGrain.WaitForReleaseAsync", error.Message, StringComparison.Ordinal);
            Assert.Contains(ShortTimeout.ToString(), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Probe.For(probeId).Release();
        }
    }

    [Fact]
    public async Task Call_cycle_between_non_reentrant_grains_times_out_instead_of_hanging()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString, o => o.ResponseTimeout = ShortTimeout);
        var a = host.Grains.GetGrain<ICycleGrain>("a-" + Probe.NewId());
        var b = "b-" + Probe.NewId();

        // A waits for B, B waits for A's next turn, which waits for A's current one.
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => a.StartCycleAsync(b));

        // Once the stuck turns have timed out, A serves calls again.
        string? pong = null;
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    pong = await a.PingAsync();
                    return true;
                }
                catch (GrainCallTimeoutException)
                {
                    return false;
                }
            },
            "grain A to answer again");
        Assert.Equal(a.ToString()!.Split('/')[1], pong);
    }
}
