namespace Vectros.Runtime;

/// <summary>Live counters of the runtime (DESIGN §3 "Statistics"), read by /metrics and the dashboard.</summary>
public interface IRuntimeStatistics
{
    /// <summary>A consistent-enough copy of the counters; cheap, safe from any thread.</summary>
    RuntimeStatisticsSnapshot Snapshot();
}
