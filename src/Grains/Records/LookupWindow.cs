using System.Globalization;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Schemas;

namespace Vectros.Grains.Records;

/// <summary>
/// A 0.40 <c>sortFrom</c>/<c>sortTo</c> window (API-DELTA §4, SDK CHANGELOG 0.38): inclusive bounds, either alone or
/// both, on an exact match's sort key, in that key's units. Rows without a key are never inside a window. Refused
/// (400) for a <c>rangeEnabled</c> lookup, one beyond the exact-match budget (overflow), a sensitive or otherwise
/// unordered <c>sortBy</c>, and a start after the end. The messages never quote a bound.
/// </summary>
internal sealed record LookupWindow(LookupSortUnits Units, string? From, string? To)
{
    /// <summary>The window of a declared lookup, or null when the query gives no bounds.</summary>
    public static LookupWindow? For(RecordLookupQuery query, SchemaView schema, LookupDefinition lookup)
    {
        if (query.SortFrom is null && query.SortTo is null)
        {
            return null;
        }

        var name = query.SortFrom is not null ? "sortFrom" : "sortTo";
        if (lookup.RangeEnabled == true)
        {
            throw new ValidationException(name,
                $"'{lookup.Key}' is rangeEnabled: narrow it with from/to, not {name} (sortFrom/sortTo window an exact-match lookup by its sort key).");
        }

        if (IsOverflow(schema, lookup))
        {
            throw new ValidationException(name,
                $"'{lookup.Key}' is beyond the schema's {SchemaDefinitionValidator.EqualityLookupSlots} fast exact-match lookups (allowOverflow), so it cannot be narrowed with sortFrom/sortTo.");
        }

        var units = LookupSort.UnitsOf(schema, lookup);
        if (units == LookupSortUnits.Unordered)
        {
            throw new ValidationException(name,
                $"The sortBy of '{lookup.Key}' is a sensitive or unordered field: it has no order to narrow by, so sortFrom/sortTo do not apply.");
        }

        return Checked(units, query);
    }

    /// <summary>The window of a lookup ordered by creation time (<c>externalId</c>): epoch milliseconds.</summary>
    public static LookupWindow? ForCreationTime(RecordLookupQuery query) =>
        query.SortFrom is null && query.SortTo is null ? null : Checked(LookupSortUnits.EpochMillis, query);

    /// <summary>Whole epoch milliseconds the window spans, for a time column (the lower bound rounded up, the upper down).</summary>
    public (DateTimeOffset? From, DateTimeOffset? Before) TimeRange()
    {
        static DateTimeOffset At(decimal ms) =>
            DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Clamp(ms, -62_135_596_800_000m, 253_402_300_799_999m));

        return (
            From is null ? null : At(Math.Ceiling(decimal.Parse(From, CultureInfo.InvariantCulture))),
            To is null ? null : At(Math.Floor(decimal.Parse(To, CultureInfo.InvariantCulture)) + 1));
    }

    /// <summary>
    /// Whether the lookup sits beyond the fast exact-match budget: equality lookups (composites included) take the
    /// slots in declaration order, and the ones past them are served by the overflow index.
    /// </summary>
    public static bool IsOverflow(SchemaView schema, LookupDefinition lookup)
    {
        var slot = 0;
        foreach (var declared in schema.Definition.LookupFields)
        {
            if (declared.RangeEnabled != true)
            {
                slot++;
            }

            if (string.Equals(declared.Key, lookup.Key, StringComparison.Ordinal))
            {
                return lookup.RangeEnabled != true && slot > SchemaDefinitionValidator.EqualityLookupSlots;
            }
        }

        return false;
    }

    private static LookupWindow Checked(LookupSortUnits units, RecordLookupQuery query)
    {
        var from = query.SortFrom is null ? null : LookupSort.Bound(units, query.SortFrom, "sortFrom");
        var to = query.SortTo is null ? null : LookupSort.Bound(units, query.SortTo, "sortTo");
        if (from is not null && to is not null && Compare(units, from, to) > 0)
        {
            throw new ValidationException("sortFrom", "sortFrom is after sortTo: the window is empty (both bounds are inclusive).");
        }

        return new LookupWindow(units, from, to);
    }

    private static int Compare(LookupSortUnits units, string a, string b) =>
        units == LookupSortUnits.Text ? string.CompareOrdinal(a, b) : CompareDecimalText(a, b);

    /// <summary>Orders two canonical decimal texts (no exponent, no trailing zeros) exactly, whatever their length.</summary>
    private static int CompareDecimalText(string a, string b)
    {
        var (negA, negB) = (a.StartsWith('-'), b.StartsWith('-'));
        if (negA != negB)
        {
            return negA ? -1 : 1;
        }

        var magnitude = CompareMagnitude(a.TrimStart('-'), b.TrimStart('-'));
        return negA ? -magnitude : magnitude;
    }

    private static int CompareMagnitude(string a, string b)
    {
        var (wholeA, fractionA) = Split(a);
        var (wholeB, fractionB) = Split(b);
        if (wholeA.Length != wholeB.Length)
        {
            return wholeA.Length.CompareTo(wholeB.Length);
        }

        var whole = string.CompareOrdinal(wholeA, wholeB);
        if (whole != 0)
        {
            return whole;
        }

        var width = Math.Max(fractionA.Length, fractionB.Length);
        return string.CompareOrdinal(fractionA.PadRight(width, '0'), fractionB.PadRight(width, '0'));
    }

    private static (string Whole, string Fraction) Split(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (text, "") : (text[..dot], text[(dot + 1)..]);
    }
}
