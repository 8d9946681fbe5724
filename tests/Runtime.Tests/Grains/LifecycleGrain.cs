namespace Vectros.Runtime.Tests.Grains;

public interface ILifecycleGrain : IGrainWithStringKey
{
    /// <summary>Returns how many times this grain (key) has been activated so far.</summary>
    Task<int> PingAsync();

    Task DeactivateAsync();
}

/// <summary>Records activations and deactivations (with reason) in the probe named by its key.</summary>
public sealed class LifecycleGrain : Grain, ILifecycleGrain
{
    private Probe Probe => Probe.For(GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Probe.Record("activate");
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Yield so calls arriving meanwhile really find the activation deactivating.
        await Task.Delay(20, cancellationToken);
        Probe.Record($"deactivate:{reason}");
    }

    public Task<int> PingAsync() => Task.FromResult(Probe.Count("activate"));

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}

public interface IFlakyActivationGrain : IGrainWithStringKey
{
    Task<int> PingAsync();
}

/// <summary>Its first activation fails; later ones succeed.</summary>
public sealed class FlakyActivationGrain : Grain, IFlakyActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var probe = Probe.For(GetPrimaryKeyString());
        probe.Record("activate");
        return probe.Count("activate") == 1
            ? throw new InvalidOperationException("first activation fails")
            : Task.CompletedTask;
    }

    public Task<int> PingAsync() => Task.FromResult(Probe.For(GetPrimaryKeyString()).Count("activate"));
}
