namespace Vectros.Runtime.Tests.Grains;

/// <summary>An ordinary (non-reentrant) grain used to observe turn-based concurrency.</summary>
public interface ISerialGrain : IGrainWithStringKey
{
    /// <summary>An exclusive turn that yields inside, so any overlap would show in the probe.</summary>
    Task WorkAsync(string probeId);

    /// <summary>A read-only turn that yields inside.</summary>
    [ReadOnly]
    Task ReadAsync(string probeId);

    /// <summary>Read-only turns waiting for each other: only returns true if they interleave.</summary>
    [ReadOnly]
    Task<bool> MeetReadOnlyAsync(string probeId, int parties);
}

public sealed class SerialGrain : Grain, ISerialGrain
{
    public async Task WorkAsync(string probeId)
    {
        var probe = Probe.For(probeId);
        using (probe.EnterWriter())
        {
            await Task.Yield();
            if (probe.Count("work") % 50 == 0)
            {
                await Task.Delay(1);
            }

            probe.Record("work");
        }
    }

    public async Task ReadAsync(string probeId)
    {
        var probe = Probe.For(probeId);
        using (probe.EnterReader())
        {
            await Task.Yield();
            probe.Record("read");
        }
    }

    public Task<bool> MeetReadOnlyAsync(string probeId, int parties) => Probe.For(probeId).MeetAsync(parties);
}
