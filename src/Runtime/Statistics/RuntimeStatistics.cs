using System.Collections.Concurrent;

namespace Vectros.Runtime.Statistics;

/// <summary>The runtime's counters, one <see cref="GrainTypeCounters"/> per grain type.</summary>
internal sealed class RuntimeStatistics(TimeProvider timeProvider) : IRuntimeStatistics
{
    private readonly ConcurrentDictionary<string, GrainTypeCounters> _grainTypes = new(StringComparer.Ordinal);
    private long _remindersFired;

    public GrainTypeCounters For(string grainType) =>
        _grainTypes.GetOrAdd(grainType, static type => new GrainTypeCounters(type));

    public void ReminderFired() => Interlocked.Increment(ref _remindersFired);

    public RuntimeStatisticsSnapshot Snapshot() =>
        new(
            [.. _grainTypes.Values.Select(static c => c.Snapshot()).OrderBy(static s => s.GrainType, StringComparer.Ordinal)],
            Volatile.Read(ref _remindersFired),
            timeProvider.GetUtcNow());
}
