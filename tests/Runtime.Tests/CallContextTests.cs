using Vectros.Runtime.Tests.Grains;

namespace Vectros.Runtime.Tests;

/// <summary>A turn runs in its caller's ExecutionContext (AsyncLocal, Activity), not another caller's.</summary>
public sealed class CallContextTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Each_call_sees_its_own_callers_async_locals()
    {
        await using var host = await RuntimeHost.StartAsync(database.ConnectionString);
        var grain = host.Grains.GetGrain<IContextGrain>(Probe.NewId());

        var seen = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() =>
        {
            ContextGrain.Ambient.Value = i % 2 == 0 ? $"caller-{i}" : null;
            return grain.ReadAmbientAsync();
        })));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? $"caller-{i}" : null), seen);
    }
}
