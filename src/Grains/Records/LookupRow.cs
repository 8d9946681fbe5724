namespace Vectros.Grains.Records;

/// <summary>
/// One <c>record_lookups</c> row. <see cref="ValueNum"/> and <see cref="ValueText"/> serve range and prefix
/// lookups and are only set for range-enabled, non-sensitive fields.
/// </summary>
public sealed record LookupRow(string Field, string ValueKey, decimal? ValueNum, string? ValueText, bool IsUnique);
