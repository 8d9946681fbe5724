using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Metering;

/// <summary>
/// Bound from <c>Vectros:Usage</c>: the rate card (milli-credits; 1 credit = 1 cent = 1000 milli), the plans and how
/// often counts are persisted. Credits are derived from counts at report time, so a rate change re-prices the month.
/// </summary>
public sealed class UsageOptions
{
    public const string Section = "Vectros:Usage";

    /// <summary>False swaps in <see cref="NoUsageMeter"/> (the bench's baseline); nothing is counted or refused.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often a usage grain persists its pending counts (at most ~this much is lost on a silo crash).</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a silo trusts an "allowance not exhausted" answer before it asks the usage grain again.</summary>
    public TimeSpan AllowanceCacheTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a usage grain keeps the plan's allowance before it reads the plan again (plan changes land within this).</summary>
    public TimeSpan PlanRefresh { get; set; } = TimeSpan.FromSeconds(2);

    [Required]
    public string DefaultPlan { get; set; } = "free";

    /// <summary>
    /// Monthly credit allowance per environment, by plan name; an empty value (null) is unlimited. Configuration adds to
    /// or overrides these defaults (<c>Vectros:Usage:Plans:pro=250000</c>).
    /// </summary>
    public Dictionary<string, long?> Plans { get; set; } = new(StringComparer.Ordinal)
    {
        ["free"] = 10_000,
        ["starter"] = 100_000,
        ["pro"] = 1_000_000,
        ["scale"] = 10_000_000,
        ["enterprise"] = null,
    };

    public RateCardOptions Rates { get; set; } = new();
}

/// <summary>Milli-credits per unit of each counted metric (per KB for ingested bytes).</summary>
public sealed class RateCardOptions
{
    [Range(0, long.MaxValue)] public long RecordWrite { get; set; } = 1000;
    [Range(0, long.MaxValue)] public long IndexCount { get; set; } = 1000;
    [Range(0, long.MaxValue)] public long IdentityWrite { get; set; } = 1000;
    [Range(0, long.MaxValue)] public long DocumentWrite { get; set; } = 1000;
    [Range(0, long.MaxValue)] public long DocumentTextIngest { get; set; } = 2000;
    [Range(0, long.MaxValue)] public long DocumentFileIngest { get; set; } = 5000;
    [Range(0, long.MaxValue)] public long IngestPerKb { get; set; } = 10;
    [Range(0, long.MaxValue)] public long SearchText { get; set; } = 1000;
    [Range(0, long.MaxValue)] public long SearchSemantic { get; set; } = 2000;
    [Range(0, long.MaxValue)] public long SearchHybrid { get; set; } = 2000;
}
