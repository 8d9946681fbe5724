namespace Vectros.Runtime;

/// <summary>All grain types' counters plus reminder deliveries.</summary>
public sealed record RuntimeStatisticsSnapshot(
    IReadOnlyList<GrainTypeStatistics> GrainTypes,
    long RemindersFired,
    DateTimeOffset TakenAt);
