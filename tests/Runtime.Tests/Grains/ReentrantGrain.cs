namespace Vectros.Runtime.Tests.Grains;

public interface IReentrantGrain : IGrainWithStringKey
{
    /// <summary>Waits for <paramref name="parties"/> calls to be inside together; true when they were.</summary>
    Task<bool> MeetAsync(string probeId, int parties);
}

[Reentrant]
public sealed class ReentrantGrain : Grain, IReentrantGrain
{
    public Task<bool> MeetAsync(string probeId, int parties) => Probe.For(probeId).MeetAsync(parties);
}
