namespace Vectros.Grains.Records;

/// <summary>
/// One <c>record_lookups</c> row. <see cref="ValueNum"/> and <see cref="ValueText"/> serve range and prefix
/// lookups and are only set for range-enabled, non-sensitive fields. <see cref="GroupKey"/> is set on a composite's
/// leading-run rows (<see cref="CompositeLookup"/>); <see cref="Sort"/> is the lookup's sort key (migration 0004).
/// </summary>
public sealed record LookupRow(string Field, string ValueKey, decimal? ValueNum, string? ValueText, bool IsUnique)
{
    public string GroupKey { get; init; } = "";

    public LookupSortKey Sort { get; init; } = LookupSortKey.None;
}
