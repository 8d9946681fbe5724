namespace Vectros.Runtime.Reminders;

/// <summary>A due reminder row this silo has leased for delivery.</summary>
internal sealed record LeasedReminder(
    GrainId GrainId,
    string Name,
    TimeSpan Period,
    DateTimeOffset FirstDue,
    DateTimeOffset NextDue,
    DateTimeOffset LeasedAt);
