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
    public const string RecordWrites = "records.writes";
    public const string RecordIndexCount = "records.writes.indexCount";
    public const string IdentityUserWrites = "identity.users.writes";
    public const string IdentityEntityWrites = "identity.entities.writes";
    public const string DocumentTextIngests = "documents.ingest.text";
    public const string DocumentFileIngests = "documents.ingest.file";
    public const string DocumentIngestBytes = "documents.ingest.bytes";
    public const string SearchText = "search.queries.text";
    public const string SearchSemantic = "search.queries.semantic";
    public const string SearchHybrid = "search.queries.hybrid";

    /// <summary>The flat per-call platform fee of chat, RAG and ask, in milli-credits.</summary>
    public const string PlatformCreditsMilli = "inference.platformCreditsMilli";

    /// <summary><c>inference.{chat|rag|ask}.{calls|inputTokens|outputTokens}</c>.</summary>
    public static string Inference(string endpoint, string measure) => $"inference.{endpoint}.{measure}";
}

/// <summary>Meters nothing: the default until the usage grain is wired in.</summary>
public sealed class NoUsageMeter : IUsageMeter
{
    public ValueTask DemandAllowanceAsync(string tenantId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask CountAsync(string tenantId, string contextId, IReadOnlyList<UsageIncrement> increments) => ValueTask.CompletedTask;
}
