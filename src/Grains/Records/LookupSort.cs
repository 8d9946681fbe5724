using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Records;

/// <summary>Where a lookup row's sort key comes from.</summary>
public enum LookupSortSource
{
    /// <summary>The record has no key (field absent, too long, or not orderable): the row sorts first, never in a window.</summary>
    None,

    /// <summary>The record's creation time in epoch milliseconds; filled in by the write batch.</summary>
    CreatedAt,

    /// <summary>The record's last write in epoch milliseconds; filled in by the write batch, and on every later write.</summary>
    UpdatedAt,

    /// <summary>A number (canonical decimal text) in <c>sort_num</c>.</summary>
    Number,

    /// <summary>Text in <c>sort_text</c>.</summary>
    Text,
}

/// <summary>A lookup row's sort key as the builder knows it; timestamps are resolved when the row is written.</summary>
public readonly record struct LookupSortKey(LookupSortSource Source, string? Value)
{
    public static readonly LookupSortKey None = new(LookupSortSource.None, null);
}

/// <summary>The units a lookup's sort key, and so its <c>sortFrom</c>/<c>sortTo</c> window, is expressed in.</summary>
public enum LookupSortUnits
{
    /// <summary>Epoch milliseconds (<c>createdAt</c>, <c>lastUpdated</c>, a date field; ISO-8601 is accepted too).</summary>
    EpochMillis,

    Number,

    Text,

    /// <summary>A sensitive or non-scalar sortBy: nothing to order by, so no window.</summary>
    Unordered,
}

/// <summary>
/// A lookup's sort key (LookupDef.sortBy, L8945: <c>createdAt</c> by default, <c>lastUpdated</c>, or a declared
/// field) for one record, and the bounds of a window over it. A sensitive sortBy field yields no key: its
/// plaintext must never reach an index row.
/// </summary>
public static class LookupSort
{
    public static LookupSortUnits UnitsOf(SchemaView schema, LookupDefinition lookup)
    {
        var sortBy = lookup.SortBy ?? "createdAt";
        if (sortBy is "createdAt" or "lastUpdated")
        {
            return LookupSortUnits.EpochMillis;
        }

        return schema.Field(sortBy) switch
        {
            null or { Sensitive: true } => LookupSortUnits.Unordered,
            { FieldType: "date" } => LookupSortUnits.EpochMillis,
            { FieldType: "number" } => LookupSortUnits.Number,
            { FieldType: "string" or "enum" or "boolean" } => LookupSortUnits.Text,
            { FieldType: "reference", Cardinality: not "many" } => LookupSortUnits.Text,
            _ => LookupSortUnits.Unordered,
        };
    }

    /// <summary>The key of a record with this plaintext payload.</summary>
    public static LookupSortKey KeyOf(SchemaView schema, LookupDefinition lookup, JsonObject plaintext)
    {
        var sortBy = lookup.SortBy ?? "createdAt";
        switch (sortBy)
        {
            case "createdAt":
                return new LookupSortKey(LookupSortSource.CreatedAt, null);
            case "lastUpdated":
                return new LookupSortKey(LookupSortSource.UpdatedAt, null);
        }

        var units = UnitsOf(schema, lookup);
        if (units == LookupSortUnits.Unordered || PayloadPath.Get(plaintext, PayloadPath.Split(sortBy)) is not JsonValue value)
        {
            return LookupSortKey.None;
        }

        var kind = value.GetValueKind();
        switch (units)
        {
            case LookupSortUnits.Number when kind == JsonValueKind.Number:
                return LookupKeys.NormalizeNumber(value.ToJsonString()) is { } number ? new LookupSortKey(LookupSortSource.Number, number) : LookupSortKey.None;
            case LookupSortUnits.EpochMillis when kind == JsonValueKind.String:
                return EpochMillis(value.GetValue<string>()) is { } ms
                    ? new LookupSortKey(LookupSortSource.Number, ms.ToString(CultureInfo.InvariantCulture))
                    : LookupSortKey.None;
            case LookupSortUnits.Text:
                var text = LookupKeys.Canonical(value);

                // As for range lookups, a value too long for a btree entry takes no part in ordering.
                return text is { Length: <= RecordLimits.MaxIndexedValueLength } ? new LookupSortKey(LookupSortSource.Text, text) : LookupSortKey.None;
            default:
                return LookupSortKey.None;
        }
    }

    /// <summary>
    /// A <c>sortFrom</c>/<c>sortTo</c> bound in the key's units: a number for numbers; epoch milliseconds (or an
    /// ISO-8601 date) for timestamps; text as given. The result is what the row's <c>sort_num</c> (as text) or
    /// <c>sort_text</c> is compared with. A 400 names <paramref name="name"/> and never quotes the bound.
    /// </summary>
    public static string Bound(LookupSortUnits units, string text, string name)
    {
        switch (units)
        {
            case LookupSortUnits.Number:
                NumberLimits.CheckValue(text, name);
                return LookupKeys.NormalizeNumber(text) ?? throw new ValidationException(name, $"{name} must be a number: the lookup sorts by a number field.");
            case LookupSortUnits.EpochMillis:
                if (LookupKeys.NormalizeNumber(text) is { } number)
                {
                    return number;
                }

                return EpochMillis(text.Trim())?.ToString(CultureInfo.InvariantCulture)
                    ?? throw new ValidationException(name, $"{name} must be epoch milliseconds (or an ISO-8601 date-time): the lookup sorts by a time.");
            default:
                return text;
        }
    }

    /// <summary>Epoch milliseconds of an instant (floored), as <c>createdAt</c> keys are stored.</summary>
    public static long EpochMillis(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static long? EpochMillis(string iso)
    {
        if (!PayloadValidator.IsIsoDate(iso))
        {
            return null;
        }

        return iso.Length == 10
            ? DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds()
                : null
            : DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUnixTimeMilliseconds()
                : null;
    }
}
