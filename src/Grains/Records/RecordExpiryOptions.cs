using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Records;

/// <summary><c>Vectros:Records:Expiry</c>: how often the expiry sweep runs and how much it takes per query.</summary>
public sealed class RecordExpiryOptions
{
    public const string Section = "Vectros:Records:Expiry";

    /// <summary>Reminder period. Orleans refuses periods below its minimum reminder period (Vectros:Orleans).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Period { get; set; } = TimeSpan.FromMinutes(1);

    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;
}
