using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Logs;

/// <summary><c>Vectros:Logs</c> (silo side): how long log rows are kept and how often old ones are purged.</summary>
public sealed class ApiLogRetentionOptions
{
    public const string Section = "Vectros:Logs";

    /// <summary>Admin call log rows older than this are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Read-access rows are kept this long (six years by default: the HIPAA §164.316 documentation floor the spec's
    /// accounting-of-disclosures surface serves); it is also each row's <c>retainUntil</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7300.00:00:00")]
    public TimeSpan AccessLogMaxAge { get; set; } = TimeSpan.FromDays(6 * 365);

    /// <summary>How often each silo runs the purge (deleting by age is idempotent, so silos may overlap).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
