namespace Vectros.Runtime.Tests.Grains;

public interface IWorkerGrain : IGrainWithStringKey
{
    /// <summary>Waits for <paramref name="parties"/> calls to be inside together; true when they were.</summary>
    Task<bool> MeetAsync(string probeId, int parties);
}

[StatelessWorker(4)]
public sealed class WorkerGrain : Grain, IWorkerGrain
{
    public Task<bool> MeetAsync(string probeId, int parties) => Probe.For(probeId).MeetAsync(parties);
}
