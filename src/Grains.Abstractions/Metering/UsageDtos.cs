using Orleans;

namespace Vectros.Grains.Abstractions.Metering;

/// <summary>One counter increase sent to a usage grain: a metric name (see <c>UsageMetrics</c>), by how much.</summary>
[GenerateSerializer, Immutable, Alias("vectros.UsageCount")]
public sealed record UsageCount([property: Id(0)] string Metric, [property: Id(1)] long Amount);

/// <summary>
/// One counter of one context in a month (persisted plus pending) with the milli-credits the rate card charges for
/// it. Reports sum these lines, so every total (environment, account) is an exact sum of the same milli figures.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.UsageLine")]
public sealed record UsageLine(
    [property: Id(0)] string ContextId,
    [property: Id(1)] string Metric,
    [property: Id(2)] long Amount,
    [property: Id(3)] long Milli);

/// <summary>The month's credit position of one environment: used milli-credits and the plan's allowance (null = unlimited).</summary>
[GenerateSerializer, Immutable, Alias("vectros.AllowanceState")]
public sealed record AllowanceState([property: Id(0)] long UsedMilli, [property: Id(1)] long? LimitMilli, [property: Id(2)] string Plan = "")
{
    public bool Exhausted => LimitMilli is { } limit && UsedMilli >= limit;
}

/// <summary>The counters of one environment (tenant) for a month.</summary>
[GenerateSerializer, Immutable, Alias("vectros.TenantUsage")]
public sealed record TenantUsage(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string Environment,
    [property: Id(2)] IReadOnlyList<UsageLine> Lines,
    [property: Id(3)] long UsedMilli);

/// <summary>
/// What <c>GET /v1/usage</c> is built from: the environments the caller may see (both of its partner for an
/// unconfined caller, else only its own, narrowed to its context), the plan's per-environment allowance in credits
/// (null = unlimited), the caller's environment's whole-month use (for <c>remaining</c>) and its prepaid balance.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.UsageReportData")]
public sealed record UsageReportData(
    [property: Id(0)] string Period,
    [property: Id(1)] string Plan,
    [property: Id(2)] long? LimitCredits,
    [property: Id(3)] long CallerEnvironmentUsedMilli,
    [property: Id(4)] long BalanceCents,
    [property: Id(5)] IReadOnlyList<TenantUsage> Tenants);
