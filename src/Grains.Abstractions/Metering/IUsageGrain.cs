using Orleans;
using Orleans.Concurrency;

namespace Vectros.Grains.Abstractions.Metering;

/// <summary>
/// The usage counters of one tenant (environment) for one calendar month (UTC), keyed <c>tenant#yyyy-MM</c> (the
/// <c>#</c> and <c>-</c> keep the key from reading as hex, DESIGN §1 trap 1). Increments are batched in memory and
/// persisted at least every flush interval (2 s by default) and on deactivation.
/// </summary>
[Alias("vectros.IUsageGrain")]
public interface IUsageGrain : IGrainWithStringKey
{
    /// <summary>Adds counts for one context. One-way: the write path does not wait for the meter.</summary>
    [OneWay]
    Task AddAsync(string contextId, IReadOnlyList<UsageCount> counts);

    /// <summary>Used milli-credits (persisted plus pending) against the plan's allowance.</summary>
    Task<AllowanceState> GetAllowanceAsync();

    /// <summary>Every counter of the month, per context, with its milli-credits.</summary>
    Task<IReadOnlyList<UsageLine>> GetLinesAsync();
}

/// <summary>Builds the usage report of a caller's account for a month (stateless; keyed by the caller's tenant id).</summary>
[Alias("vectros.IUsageReportGrain")]
public interface IUsageReportGrain : IGrainWithStringKey
{
    /// <summary>
    /// <paramref name="confinedContext"/> non-null narrows the report to that context of the caller's own environment.
    /// </summary>
    Task<UsageReportData> GetAsync(string? confinedContext, int year, int month);
}

/// <summary>The plan of one partner (keyed by partner id).</summary>
[Alias("vectros.IPartnerPlanGrain")]
public interface IPartnerPlanGrain : IGrainWithGuidKey
{
    /// <summary>Sets the plan; 400 for a plan name the configuration does not know, 404 for an unknown partner.</summary>
    Task<PartnerPlan> SetAsync(string plan);
}

[GenerateSerializer, Immutable, Alias("vectros.PartnerPlan")]
public sealed record PartnerPlan(
    [property: Id(0)] Guid PartnerId,
    [property: Id(1)] string Plan,
    [property: Id(2)] long? MonthlyCredits);
