using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Records;

/// <summary>
/// The lookup modes a query gives (spec RecordLookupRequest L8745 with the 0.40 additions, API-DELTA §4): exactly
/// one of <c>value</c> or <c>values</c> (which exclude each other), <c>from</c>+<c>to</c>, <c>prefix</c>; and
/// <c>sortFrom</c>/<c>sortTo</c> only beside an exact match. A one-element <c>values</c> is exactly <c>value</c>.
/// </summary>
internal static class LookupRequest
{
    /// <summary>The checks that need no schema; each failure is a 400 naming the parameter.</summary>
    public static void CheckModes(RecordLookupQuery query)
    {
        if (query.Values is { } values)
        {
            if (query.Value is not null)
            {
                throw new ValidationException("values", "Give value or values, not both (a one-element values is the same as value).");
            }

            if (values.Count == 0)
            {
                throw new ValidationException("values", "values must hold at least one value.");
            }

            for (var i = 0; i < values.Count; i++)
            {
                if (values[i] is null)
                {
                    throw new ValidationException($"values[{i}]", $"values[{i}] must be a string.");
                }
            }
        }

        var exact = query.Value is not null || query.Values is not null;
        var modes = (exact ? 1 : 0) + (query.From is not null || query.To is not null ? 1 : 0) + (query.Prefix is not null ? 1 : 0);
        if (modes != 1)
        {
            throw new ValidationException("value", "Give exactly one lookup mode: value (or values), from+to, or prefix.");
        }

        if ((query.From is null) != (query.To is null))
        {
            throw new ValidationException(query.From is null ? "from" : "to", "A range lookup needs both from and to.");
        }

        if (!exact && (query.SortFrom is not null || query.SortTo is not null))
        {
            throw new ValidationException(query.SortFrom is not null ? "sortFrom" : "sortTo",
                "sortFrom/sortTo narrow an exact value (or values) lookup; a range or prefix lookup is already ordered by the field's value.");
        }
    }

    /// <summary>
    /// The exact values of a query against a lookup over <paramref name="fieldCount"/> fields, each with the name
    /// of the parameter it came from (for messages); null for a range or prefix query.
    /// </summary>
    public static IReadOnlyList<(string Text, string Parameter)>? ExactValues(RecordLookupQuery query, string field, int fieldCount)
    {
        if (query.Value is { } value)
        {
            return [(value, "value")];
        }

        if (query.Values is not { } values)
        {
            return null;
        }

        if (values.Count > fieldCount)
        {
            throw new ValidationException("values", fieldCount == 1
                ? $"'{field}' is a lookup over one field: give one value (values over several fields need a lookup declared with fieldNames)."
                : $"'{field}' is a lookup over {fieldCount} fields: give at most {fieldCount} values, in its declared order.");
        }

        return [.. values.Select((v, i) => (v, values.Count == 1 ? "values[0]" : $"values[{i}]"))];
    }

    /// <summary>The declared lookup a query's <c>field</c> names: a field name, or a composite's comma-joined fields.</summary>
    public static LookupDefinition? Find(SchemaView schema, string field) =>
        schema.Lookup(field) is { } lookup && (lookup.IsComposite == field.Contains(',', StringComparison.Ordinal)) ? lookup : null;
}
