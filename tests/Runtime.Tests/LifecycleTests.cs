using Microsoft.Extensions.DependencyInjection;
using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>Activation and deactivation (DESIGN §3 "Activation").</summary>
public sealed class LifecycleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Idle_activations_are_deactivated_and_reactivated_by_the_next_call()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString, o =>
        {
            o.CollectionAge = TimeSpan.FromSeconds(1);
            o.CollectionQuantum = TimeSpan.FromMilliseconds(200);
        });
        var key = Probe.NewId();
        var grain = host.Grains.GetGrain<ILifecycleGrain>(key);
        Assert.Equal(1, await grain.PingAsync());

        await Eventually.TrueAsync(() => Probe.For(key).Count("deactivate:IdleTimeout") == 1, "idle deactivation");
        await Eventually.TrueAsync(() => host.ActivationsOf<ILifecycleGrain>() == 0, "the activation count to drop");

        Assert.Equal(2, await grain.PingAsync());
    }

    [Fact]
    public async Task Calls_arriving_during_deactivation_go_to_a_fresh_activation()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var key = Probe.NewId();
        var grain = host.Grains.GetGrain<ILifecycleGrain>(key);
        await grain.PingAsync();

        // DeactivateOnIdle takes effect after this turn; the calls queued behind it must not be lost.
        var deactivate = grain.DeactivateAsync();
        var pings = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.PingAsync()));
        await deactivate;

        Assert.All(pings, p => Assert.Equal(2, p));
        Assert.Equal(1, Probe.For(key).Count("deactivate:ApplicationRequested"));
        Assert.Equal(1, host.ActivationsOf<ILifecycleGrain>());
    }

    [Fact]
    public async Task Activations_under_a_key_prefix_can_be_deactivated_together()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var prefix = Probe.NewId() + "#ctx#";
        string[] inside = [prefix + "a", prefix + "b"];
        var outside = Probe.NewId() + "#other#a";
        foreach (var key in inside.Append(outside))
        {
            Assert.Equal(1, await host.Grains.GetGrain<ILifecycleGrain>(key).PingAsync());
        }

        var control = host.Services.GetRequiredService<IActivationControl>();
        Assert.Equal(2, await control.DeactivateByKeyPrefixAsync(prefix));

        Assert.All(inside, key => Assert.Equal(1, Probe.For(key).Count("deactivate:ApplicationRequested")));
        Assert.Equal(0, Probe.For(outside).Count("deactivate:ApplicationRequested"));
        Assert.Equal(2, await host.Grains.GetGrain<ILifecycleGrain>(inside[0]).PingAsync());
        Assert.Equal(1, await host.Grains.GetGrain<ILifecycleGrain>(outside).PingAsync()); // still its first activation
    }

    [Fact]
    public async Task Host_shutdown_deactivates_every_activation()
    {
        var key = Probe.NewId();
        var host = await RuntimeHost.StartAsync(database.ConnectionString);
        await host.Grains.GetGrain<ILifecycleGrain>(key).PingAsync();

        await host.DisposeAsync();

        Assert.Equal(1, Probe.For(key).Count("deactivate:ShuttingDown"));
    }

    [Fact]
    public async Task Failed_activation_fails_the_call_and_the_next_call_activates_again()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var grain = host.Grains.GetGrain<IFlakyActivationGrain>(Probe.NewId());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.PingAsync());

        Assert.Equal("first activation fails", error.Message);
        Assert.Equal(2, await grain.PingAsync());
    }

    [Fact]
    public async Task Guid_keyed_grains_see_their_key()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var key = Guid.NewGuid();
        var grain = host.Grains.GetGrain<IKeyedGrain>(key);

        Assert.Equal(key, await grain.GetKeyAsync());
        Assert.Equal(key.ToString("D"), await grain.GetKeyStringAsync());
        Assert.Equal($"{typeof(IKeyedGrain).FullName}/{key:D}", grain.ToString());
    }

    [Fact]
    public async Task Unregistered_grain_interface_is_refused_by_the_factory()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);

        var error = Assert.Throws<InvalidOperationException>(() => host.Grains.GetGrain<IUnimplementedGrain>("x"));

        Assert.Contains(nameof(IUnimplementedGrain), error.Message, StringComparison.Ordinal);
    }

    public interface IUnimplementedGrain : IGrainWithStringKey
    {
        Task PingAsync();
    }
}
