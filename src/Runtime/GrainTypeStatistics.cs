namespace Vectros.Runtime;

/// <summary>Counters for one grain type (grain interface full name).</summary>
/// <param name="GrainType">The grain interface full name, as in <see cref="GrainId.Type"/>.</param>
/// <param name="Activations">Activations currently alive in this process.</param>
/// <param name="Calls">Calls dispatched since start.</param>
/// <param name="Failures">Calls that ended in an exception since start.</param>
/// <param name="QueueLength">Calls currently waiting in mailboxes.</param>
/// <param name="AverageLatencyMs">Mean time from dispatch to completion of finished calls.</param>
/// <param name="MaxLatencyMs">Longest such time.</param>
public sealed record GrainTypeStatistics(
    string GrainType,
    int Activations,
    long Calls,
    long Failures,
    int QueueLength,
    double AverageLatencyMs,
    double MaxLatencyMs);
