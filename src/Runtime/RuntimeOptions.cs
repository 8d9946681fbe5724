namespace Vectros.Runtime;

/// <summary>Runtime settings, bound from the configuration section <see cref="SectionName"/>.</summary>
public sealed class RuntimeOptions
{
    public const string SectionName = "Vectros:Runtime";

    /// <summary>Names this process; leases (reminders) are owned by it, so it must be unique per process.</summary>
    public string SiloName { get; set; } =
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>An activation idle for longer than this is deactivated (DESIGN §3 "Activation").</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the idle collector looks for idle activations.</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a caller waits for a grain call before <see cref="GrainCallTimeoutException"/>.</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the reminder service looks for due reminders.</summary>
    public TimeSpan ReminderPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a leased reminder stays with this silo before another may take it.</summary>
    public TimeSpan ReminderLeaseTime { get; set; } = TimeSpan.FromSeconds(30);
}
