using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>Exceptions thrown by grains reach callers unchanged (DESIGN §3).</summary>
public sealed class ExceptionTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Grain_exceptions_keep_their_type_and_the_activation_keeps_working()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var grain = host.Grains.GetGrain<IThrowingGrain>(Probe.NewId());
        Assert.Equal(1, await grain.CountAsync());

        var before = await Assert.ThrowsAsync<TestGrainException>(() => grain.ThrowBeforeAwaitAsync());
        Assert.Equal("before await", before.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.ThrowAfterAwaitAsync());
        await Assert.ThrowsAsync<TestGrainException>(async () => await grain.ThrowFromValueTaskAsync());

        // A TimeoutException of the grain's own is not mistaken for a response timeout.
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => grain.ThrowTimeoutAsync());
        Assert.IsNotType<GrainCallTimeoutException>(timeout);

        // Same activation: its counter continued.
        Assert.Equal(2, await grain.CountAsync());
        var statistics = host.StatisticsOf<IThrowingGrain>();
        Assert.NotNull(statistics);
        Assert.Equal(4, statistics.Failures);
        Assert.Equal(6, statistics.Calls);
    }
}
