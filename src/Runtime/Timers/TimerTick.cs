using Vectros.Runtime.Hosting;

namespace Vectros.Runtime.Timers;

/// <summary>A timer tick queued as a turn, so it respects the activation's turn-based concurrency.</summary>
internal sealed class TimerTick(GrainTimer timer) : WorkItem
{
    public override bool IsReadOnly => false;

    public override Task ExecuteAsync(GrainActivation activation) => timer.TickAsync();

    // A tick that cannot run is dropped: timers are in-memory and die with their activation.
    public override void Fail(Exception error)
    {
    }
}
