namespace Vectros.Runtime.Statistics;

/// <summary>Lock-free counters for one grain type, updated from any thread (DESIGN §3 "Statistics").</summary>
internal sealed class GrainTypeCounters(string grainType)
{
    private int _activations;
    private long _calls;
    private long _failures;
    private int _queueLength;
    private long _completed;
    private long _totalLatencyTicks;
    private long _maxLatencyTicks;

    public string GrainType { get; } = grainType;

    public void ActivationAdded() => Interlocked.Increment(ref _activations);

    public void ActivationRemoved() => Interlocked.Decrement(ref _activations);

    public void CallDispatched() => Interlocked.Increment(ref _calls);

    public void Enqueued() => Interlocked.Increment(ref _queueLength);

    public void Dequeued(int count = 1) => Interlocked.Add(ref _queueLength, -count);

    public void CallCompleted(TimeSpan latency, bool failed)
    {
        if (failed)
        {
            Interlocked.Increment(ref _failures);
        }

        Interlocked.Increment(ref _completed);
        Interlocked.Add(ref _totalLatencyTicks, latency.Ticks);
        var max = Volatile.Read(ref _maxLatencyTicks);
        while (latency.Ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxLatencyTicks, latency.Ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    public GrainTypeStatistics Snapshot()
    {
        var completed = Volatile.Read(ref _completed);
        var average = completed == 0
            ? 0
            : TimeSpan.FromTicks(Volatile.Read(ref _totalLatencyTicks) / completed).TotalMilliseconds;
        return new GrainTypeStatistics(
            GrainType,
            Volatile.Read(ref _activations),
            Volatile.Read(ref _calls),
            Volatile.Read(ref _failures),
            Volatile.Read(ref _queueLength),
            average,
            TimeSpan.FromTicks(Volatile.Read(ref _maxLatencyTicks)).TotalMilliseconds);
    }
}
