using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;

namespace Vectros.Grains.Tests.Probes;

/// <summary>A grain that registers a durable reminder and logs every tick with the silo it ran on.</summary>
[Alias("tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task StartAsync(TimeSpan period);

    Task StopAsync();

    /// <summary>The silo this activation lives on.</summary>
    Task<string> SiloAsync();
}

public sealed class ReminderProbeGrain(ILocalSiloDetails silo) : Grain, IReminderProbeGrain, IRemindable
{
    public const string ReminderName = "probe";

    public Task StartAsync(TimeSpan period) => this.RegisterOrUpdateReminder(ReminderName, period, period);

    public async Task StopAsync()
    {
        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task<string> SiloAsync() => Task.FromResult(silo.SiloAddress.ToString());

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderLog.Record(this.GetPrimaryKeyString(), silo.SiloAddress.ToString());
        return Task.CompletedTask;
    }
}

/// <summary>Ticks seen by every silo of this test process (TestCluster silos run in-process).</summary>
public static class ReminderLog
{
    private static readonly ConcurrentQueue<(string Key, string Silo, DateTimeOffset At)> Ticks = new();

    public static void Record(string key, string silo) => Ticks.Enqueue((key, silo, DateTimeOffset.UtcNow));

    public static IReadOnlyList<(string Silo, DateTimeOffset At)> For(string key) =>
        [.. Ticks.Where(t => t.Key == key).Select(t => (t.Silo, t.At))];
}
