using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Records;

namespace Vectros.Grains.Search;

/// <summary>One operator on one field as the request wrote it, before the field is resolved against the context.</summary>
/// <param name="Path">Where it stands in the request, for error messages: <c>filters.price.$gte</c>.</param>
internal sealed record FilterClause(string Field, FilterOperator Operator, IReadOnlyList<JsonValue> Operands, string Path);

/// <summary>
/// Reads the spec's <c>filters</c> shape (SearchRequest.filters, FilterValue L5232, FilterCondition L5200): a map of
/// field → a scalar (equality), an array of scalars (any of them) or an operator map (<c>$eq $ne $gt $gte $lt
/// $lte</c> take a scalar, <c>$in $nin</c> an array of scalars and stand alone). Fields and the operators of one map
/// are ANDed. Anything else (unknown operator, a map or array where a scalar belongs, null, a malformed field name,
/// more than <see cref="SearchLimits.MaxFilterFields"/> fields or <see cref="SearchLimits.MaxFilterValues"/> values)
/// is a 400 naming its path.
/// </summary>
internal static partial class SearchFilterReader
{
    private static readonly Dictionary<string, FilterOperator> _operators = new(StringComparer.Ordinal)
    {
        ["$eq"] = FilterOperator.Eq,
        ["$ne"] = FilterOperator.Ne,
        ["$gt"] = FilterOperator.Gt,
        ["$gte"] = FilterOperator.Gte,
        ["$lt"] = FilterOperator.Lt,
        ["$lte"] = FilterOperator.Lte,
        ["$in"] = FilterOperator.In,
        ["$nin"] = FilterOperator.Nin,
    };

    public static IReadOnlyList<FilterClause> Read(JsonObject filters)
    {
        if (filters.Count > SearchLimits.MaxFilterFields)
        {
            throw new ValidationException("filters", $"filters may name at most {SearchLimits.MaxFilterFields} fields.");
        }

        var clauses = new List<FilterClause>();
        foreach (var (field, value) in filters)
        {
            var path = $"filters.{Shown(field)}";
            CheckFieldName(field, path);
            switch (value)
            {
                case JsonObject map:
                    clauses.AddRange(ReadOperators(field, map, path));
                    break;
                case JsonArray array:
                    clauses.Add(new FilterClause(field, FilterOperator.In, Scalars(array, path), path));
                    break;
                default:
                    clauses.Add(new FilterClause(field, FilterOperator.Eq, [Scalar(value, path)], path));
                    break;
            }
        }

        return clauses;
    }

    private static IEnumerable<FilterClause> ReadOperators(string field, JsonObject map, string path)
    {
        if (map.Count == 0)
        {
            throw new ValidationException(path, $"{path} must hold at least one operator ($eq, $ne, $gt, $gte, $lt, $lte, $in, $nin).");
        }

        var clauses = new List<FilterClause>();
        foreach (var (name, operand) in map)
        {
            var opPath = $"{path}.{Shown(name)}";
            if (!_operators.TryGetValue(name, out var op))
            {
                throw new ValidationException(opPath, $"Unknown filter operator at {opPath}: the operators are $eq, $ne, $gt, $gte, $lt, $lte, $in and $nin.");
            }

            if (op is FilterOperator.In or FilterOperator.Nin)
            {
                if (map.Count > 1)
                {
                    throw new ValidationException(opPath, $"{opPath} must stand alone: $in and $nin cannot be combined with other operators.");
                }

                clauses.Add(new FilterClause(field, op, operand is JsonArray array
                    ? Scalars(array, opPath)
                    : throw new ValidationException(opPath, $"{opPath} must be an array of scalars."), opPath));
            }
            else
            {
                clauses.Add(new FilterClause(field, op, [Scalar(operand, opPath)], opPath));
            }
        }

        return clauses;
    }

    private static List<JsonValue> Scalars(JsonArray array, string path)
    {
        if (array.Count > SearchLimits.MaxFilterValues)
        {
            throw new ValidationException(path, $"{path} may hold at most {SearchLimits.MaxFilterValues} values.");
        }

        return [.. array.Select((item, i) => Scalar(item, $"{path}[{i}]"))];
    }

    /// <summary>A string, number or boolean; numbers keep to the 0.40 number rules (API-DELTA §1).</summary>
    private static JsonValue Scalar(JsonNode? node, string path)
    {
        if (node is not JsonValue value || value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
        {
            throw new ValidationException(path, $"{path} must be a string, number or boolean.");
        }

        if (value.GetValueKind() == JsonValueKind.Number)
        {
            NumberLimits.CheckValue(value.ToJsonString(), path);
        }
        else if (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Contains('\0', StringComparison.Ordinal))
        {
            // jsonb and text cannot hold U+0000: no stored value could equal it.
            throw new ValidationException(path, $"{path} must not contain a NUL character.");
        }

        return value;
    }

    /// <summary>
    /// A payload field (a letter or underscore, then letters, digits, <c>_</c> or <c>-</c>; at most 64) or an
    /// ownership field (<see cref="SearchFilterResolver"/>). A <c>$</c> key is an operator where a field belongs.
    /// </summary>
    private static void CheckFieldName(string field, string path)
    {
        if (field.StartsWith('$'))
        {
            throw new ValidationException(path, $"{path}: filters map field names to values; operators go inside a field's map (e.g. filters.price.$gte), and there is no {Shown(field)} at the top level.");
        }

        if (!SearchFilterResolver.IsOwnershipField(field) && !FieldName().IsMatch(field))
        {
            throw new ValidationException(path, $"{path}: a filter field name is 1-64 characters, a letter or '_' first, then letters, digits, '_' or '-'.");
        }
    }

    /// <summary>A name as quoted back in a message: never more than 64 characters of what the caller sent.</summary>
    private static string Shown(string name) => name.Length <= 64 ? name : name[..64] + "…";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();
}
