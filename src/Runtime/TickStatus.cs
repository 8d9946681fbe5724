namespace Vectros.Runtime;

/// <summary>Schedule of a reminder tick, as passed to <see cref="IRemindable.ReceiveReminder"/>.</summary>
/// <param name="FirstTickTime">When the reminder was first due.</param>
/// <param name="Period">Time between ticks.</param>
/// <param name="CurrentTickTime">Database time at which this tick was taken for delivery.</param>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);
