using Vectros.Grains.Abstractions.Metering;

namespace Vectros.Grains.Metering;

/// <summary>
/// Monthly credit metering (issue #10 item 4). Grains call <see cref="DemandAllowanceAsync"/> before they dispatch a
/// metered write, ingest or search (402 <c>SUBSCRIPTION_LIMIT_EXCEEDED</c> once the month's allowance is used up) and
/// <see cref="CountAsync"/> after it succeeded. Counts go to the usage grain of the tenant and calendar month (UTC),
/// which batches them. Reads are never metered.
/// </summary>
public interface IUsageMeter
{
    /// <summary>Throws <c>PaymentRequiredException(SUBSCRIPTION_LIMIT_EXCEEDED)</c> when the allowance is used up.</summary>
    ValueTask DemandAllowanceAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The partner plan the tenant is on (a <c>GET /v1/models</c> tier name), for models offered on some plans only;
    /// null when nothing is metered (no plan applies).
    /// </summary>
    ValueTask<string?> PlanOfAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);

    /// <summary>Adds <paramref name="increments"/> for one context of one tenant, in the current month.</summary>
    ValueTask CountAsync(string tenantId, string contextId, IReadOnlyList<UsageIncrement> increments);
}

/// <summary>One counter increase: a metric from <see cref="UsageMetrics"/>, by how much.</summary>
public readonly record struct UsageIncrement(string Metric, long Amount);

/// <summary>
/// The counter names. Each is one line of the usage report (spec UsageReportResponse L6616); credits are derived from
/// counts by the rate card at report time, except <see cref="PlatformCreditsMilli"/>, which is already in credits.
/// </summary>
public static class UsageMetrics
{
    public const string RecordWrites = UsageMetricNames.RecordWrites;
    public const string RecordIndexCount = UsageMetricNames.RecordIndexCount;
    public const string IdentityUserWrites = UsageMetricNames.IdentityUserWrites;
    public const string IdentityEntityWrites = UsageMetricNames.IdentityEntityWrites;

    /// <summary>Document metadata writes (title, payload, status, folder) that ingest no new text or file.</summary>
    public const string DocumentWrites = UsageMetricNames.DocumentWrites;

    /// <summary>
    /// Entity writes of one namespace (<c>org</c>, <c>client</c>, …), for the 0.31 <c>identity.orgs</c>/<c>clients</c>
    /// lines. Not priced: the same writes are charged once, as <see cref="IdentityEntityWrites"/>.
    /// </summary>
    public static string IdentityNamespaceWrites(string ns) => UsageMetricNames.IdentityNamespaceWrites(ns);
    public const string DocumentTextIngests = UsageMetricNames.DocumentTextIngests;
    public const string DocumentFileIngests = UsageMetricNames.DocumentFileIngests;
    public const string DocumentIngestBytes = UsageMetricNames.DocumentIngestBytes;
    public const string SearchText = UsageMetricNames.SearchText;
    public const string SearchSemantic = UsageMetricNames.SearchSemantic;
    public const string SearchHybrid = UsageMetricNames.SearchHybrid;

    /// <summary>The flat per-call platform fee of chat, RAG and ask, in milli-credits.</summary>
    public const string PlatformCreditsMilli = UsageMetricNames.PlatformCreditsMilli;

    /// <summary><c>inference.{chat|rag|ask}.{calls|inputTokens|outputTokens}</c>.</summary>
    public static string Inference(string endpoint, string measure) => UsageMetricNames.Inference(endpoint, measure);
}

/// <summary>Meters nothing: the default until the usage grain is wired in.</summary>
public sealed class NoUsageMeter : IUsageMeter
{
    public ValueTask DemandAllowanceAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask CountAsync(string tenantId, string contextId, IReadOnlyList<UsageIncrement> increments) => ValueTask.CompletedTask;
}
