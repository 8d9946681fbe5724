namespace Vectros.Runtime.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period);

    Task UnregisterAsync(string reminderName);
}

/// <summary>Records each reminder tick in the probe named by its key.</summary>
public sealed class ReminderGrain : Grain, IReminderGrain, IRemindable
{
    public Task RegisterAsync(string reminderName, TimeSpan dueTime, TimeSpan period) =>
        RegisterOrUpdateReminder(reminderName, dueTime, period);

    public Task UnregisterAsync(string reminderName) => UnregisterReminder(reminderName);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Probe.For(GetPrimaryKeyString()).Record($"reminder:{reminderName}");

        // Stay inside for a few polls of every silo, so a second delivery of the same tick would happen.
        await Task.Delay(300);
    }
}

public interface INotRemindableGrain : IGrainWithStringKey
{
    Task RegisterAsync(string reminderName);
}

/// <summary>Does not implement IRemindable, so registering a reminder must throw.</summary>
public sealed class NotRemindableGrain : Grain, INotRemindableGrain
{
    public Task RegisterAsync(string reminderName) =>
        RegisterOrUpdateReminder(reminderName, TimeSpan.FromHours(1), TimeSpan.FromHours(1));
}
