using Microsoft.Extensions.Options;

namespace Vectros.Grains.Metering;

/// <summary>
/// Prices a counter in milli-credits. Only data-plane work and the inference platform fee draw on the allowance;
/// inference tokens and calls are counted for the report but paid from the prepaid balance, so they price at 0.
/// </summary>
public sealed class RateCard(IOptions<UsageOptions> options)
{
    public long Milli(string metric, long amount)
    {
        var rates = options.Value.Rates;
        return metric switch
        {
            UsageMetrics.RecordWrites => amount * rates.RecordWrite,
            UsageMetrics.RecordIndexCount => amount * rates.IndexCount,
            UsageMetrics.IdentityUserWrites or UsageMetrics.IdentityEntityWrites => amount * rates.IdentityWrite,
            UsageMetrics.DocumentWrites => amount * rates.DocumentWrite,
            UsageMetrics.DocumentTextIngests => amount * rates.DocumentTextIngest,
            UsageMetrics.DocumentFileIngests => amount * rates.DocumentFileIngest,
            // Per started KB would charge a line twice for the same bytes once it grows; whole KB of the month's total is stable.
            UsageMetrics.DocumentIngestBytes => amount / 1024 * rates.IngestPerKb,
            UsageMetrics.SearchText => amount * rates.SearchText,
            UsageMetrics.SearchSemantic => amount * rates.SearchSemantic,
            UsageMetrics.SearchHybrid => amount * rates.SearchHybrid,
            UsageMetrics.PlatformCreditsMilli => amount,
            _ => 0,
        };
    }

    /// <summary>The plan's monthly allowance in credits (null = unlimited); null name = the default plan.</summary>
    public long? AllowanceCredits(string? plan)
    {
        var o = options.Value;
        return o.Plans.TryGetValue(plan ?? o.DefaultPlan, out var credits) ? credits
            : o.Plans.GetValueOrDefault(o.DefaultPlan);
    }

    public bool IsPlan(string plan) => options.Value.Plans.ContainsKey(plan);

    public string DefaultPlan => options.Value.DefaultPlan;
}
