namespace Vectros.Runtime.Tests.Grains;

public interface ISlowGrain : IGrainWithStringKey
{
    /// <summary>Does not return until the probe is released.</summary>
    Task WaitForReleaseAsync(string probeId);
}

public sealed class SlowGrain : Grain, ISlowGrain
{
    public Task WaitForReleaseAsync(string probeId) => Probe.For(probeId).Released;
}

public interface ICycleGrain : IGrainWithStringKey
{
    /// <summary>Calls <paramref name="peerKey"/>, which calls back into this grain: a cycle.</summary>
    Task<string> StartCycleAsync(string peerKey);

    Task<string> CallBackAsync(string originKey);

    Task<string> PingAsync();
}

public sealed class CycleGrain : Grain, ICycleGrain
{
    public Task<string> StartCycleAsync(string peerKey) =>
        GrainFactory.GetGrain<ICycleGrain>(peerKey).CallBackAsync(GetPrimaryKeyString());

    public Task<string> CallBackAsync(string originKey) => GrainFactory.GetGrain<ICycleGrain>(originKey).PingAsync();

    public Task<string> PingAsync() => Task.FromResult(GetPrimaryKeyString());
}
