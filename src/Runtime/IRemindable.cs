namespace Vectros.Runtime;

/// <summary>
/// Implemented by grain classes that register reminders; mirrors <c>Orleans.IRemindable</c>.
/// Each tick arrives as an ordinary call, activating the grain if needed.
/// </summary>
public interface IRemindable : IGrain
{
    /// <summary>Called when the reminder <paramref name="reminderName"/> is due.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}
