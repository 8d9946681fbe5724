namespace Vectros.Runtime.Tests.Grains;

public interface ITimerGrain : IGrainWithStringKey
{
    Task StartAsync(string probeId, TimeSpan period);

    Task StopAsync();

    /// <summary>An exclusive turn, to interleave with timer ticks if the runtime were wrong.</summary>
    Task WorkAsync(string probeId);
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    private IDisposable? _timer;

    public Task StartAsync(string probeId, TimeSpan period)
    {
        _timer = RegisterTimer(
            async _ =>
            {
                var probe = Probe.For(probeId);
                using (probe.EnterWriter())
                {
                    await Task.Yield();
                    probe.Record("tick");
                }
            },
            TimeSpan.Zero,
            period);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public async Task WorkAsync(string probeId)
    {
        var probe = Probe.For(probeId);
        using (probe.EnterWriter())
        {
            await Task.Delay(1);
            probe.Record("work");
        }
    }
}
