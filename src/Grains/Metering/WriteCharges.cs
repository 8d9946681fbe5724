using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Metering;

/// <summary>The increments a successful write, ingest or search adds (spec WriteStats, RecordWrites, QueryCounts).</summary>
public static class WriteCharges
{
    /// <summary>
    /// One record write and the logical indexes it maintains: ownership, the externalId when set, and each schema lookup
    /// (an equality lookup counts 1, a range-enabled one 3; spec RecordWrites.indexCount).
    /// </summary>
    public static IReadOnlyList<UsageIncrement> Record(SchemaView? schema, string? externalId)
    {
        var indexes = 1L + (externalId is null ? 0 : 1);
        foreach (var lookup in schema?.Definition.LookupFields ?? [])
        {
            indexes += lookup.RangeEnabled == true ? 3 : 1;
        }

        return [new(UsageMetrics.RecordWrites, 1), new(UsageMetrics.RecordIndexCount, indexes)];
    }

    public static IReadOnlyList<UsageIncrement> UserWrite { get; } = [new(UsageMetrics.IdentityUserWrites, 1)];

    public static IReadOnlyList<UsageIncrement> EntityWrite(string ns) =>
        [new(UsageMetrics.IdentityEntityWrites, 1), new(UsageMetrics.IdentityNamespaceWrites(ns), 1)];

    public static IReadOnlyList<UsageIncrement> DocumentWrite { get; } = [new(UsageMetrics.DocumentWrites, 1)];

    public static IReadOnlyList<UsageIncrement> TextIngest(long bytes) =>
        [new(UsageMetrics.DocumentTextIngests, 1), new(UsageMetrics.DocumentIngestBytes, bytes)];

    public static IReadOnlyList<UsageIncrement> FileIngest(long bytes) =>
        [new(UsageMetrics.DocumentFileIngests, 1), new(UsageMetrics.DocumentIngestBytes, bytes)];
}
