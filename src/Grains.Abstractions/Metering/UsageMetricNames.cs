namespace Vectros.Grains.Abstractions.Metering;

/// <summary>
/// The counter names, where both the grains (which count) and the front end (which lays out the report) can see them.
/// <c>Vectros.Grains.Metering.UsageMetrics</c> is the grains' name for the same constants.
/// </summary>
public static class UsageMetricNames
{
    public const string RecordWrites = "records.writes";
    public const string RecordIndexCount = "records.writes.indexCount";
    public const string IdentityUserWrites = "identity.users.writes";
    public const string IdentityEntityWrites = "identity.entities.writes";
    public const string DocumentWrites = "documents.writes";
    public const string DocumentTextIngests = "documents.ingest.text";
    public const string DocumentFileIngests = "documents.ingest.file";
    public const string DocumentIngestBytes = "documents.ingest.bytes";
    public const string SearchText = "search.queries.text";
    public const string SearchSemantic = "search.queries.semantic";
    public const string SearchHybrid = "search.queries.hybrid";
    public const string PlatformCreditsMilli = "inference.platformCreditsMilli";

    public static string IdentityNamespaceWrites(string ns) => $"identity.entities.writes.{ns}";

    public static string Inference(string endpoint, string measure) => $"inference.{endpoint}.{measure}";
}
