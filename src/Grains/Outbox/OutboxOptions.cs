using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Outbox;

/// <summary>Bound from <c>Vectros:Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Vectros:Outbox";

    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a silo owns a leased row; after it lapses (a crash) another worker picks the row up.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 1000)]
    public int BatchSize { get; set; } = 10;

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);
}
