using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Search;

namespace Vectros.Grains.Search;

/// <summary>
/// Turns the request's filter clauses into conditions the lanes can run, field by field:
/// <list type="bullet">
/// <item>ownership fields, which live in chunk columns: <c>userId</c> (a UUID), <c>externalId</c>, <c>orgId</c> and
/// <c>clientId</c> (the scopes <c>org:</c>/<c>client:</c>, DESIGN §5a) and <c>scope:&lt;ns&gt;</c> (any namespace);
/// equality and membership only;</item>
/// <item>payload fields the context knows (<see cref="SearchFieldCatalog"/>): filterable in one of its schemas, or a
/// key its indexed content has carried; a field declared <c>date</c> compares as instants (ISO-8601 strings or epoch
/// milliseconds, as the spec allows);</item>
/// <item>anything else is unknown: 400 naming it, so a misspelt field fails loudly instead of matching nothing.</item>
/// </list>
/// </summary>
internal static class SearchFilterResolver
{
    public static bool IsOwnershipField(string field) =>
        field is "userId" or "externalId" or "orgId" or "clientId" || ScopeNamespace(field) is not null;

    public static IReadOnlyList<FieldCondition> Resolve(IReadOnlyList<FilterClause> clauses, IReadOnlyDictionary<string, FieldKind> known) =>
        [.. clauses.Select(clause => Resolve(clause, known))];

    private static FieldCondition Resolve(FilterClause clause, IReadOnlyDictionary<string, FieldKind> known)
    {
        var field = clause.Field;
        if (IsOwnershipField(field))
        {
            if (clause.Operator is not (FilterOperator.Eq or FilterOperator.Ne or FilterOperator.In or FilterOperator.Nin))
            {
                throw new ValidationException(clause.Path, $"{clause.Path}: {field} takes equality and membership ($eq, $ne, $in, $nin), not ranges.");
            }

            return field switch
            {
                "userId" => new(field, FilterTarget.UserId, clause.Operator, Strings(clause, v =>
                    Guid.TryParse(v, out var id) ? id.ToString() : throw new ValidationException(clause.Path, $"{clause.Path}: userId values are Vectros UUIDs."))),
                "externalId" => new(field, FilterTarget.ExternalId, clause.Operator, Strings(clause, v => v)),
                _ => new(field, FilterTarget.Scope, clause.Operator, Strings(clause, v => ScopeEntry(field, v, clause.Path))),
            };
        }

        if (!known.TryGetValue(field, out var kind))
        {
            throw new ValidationException(clause.Path,
                $"Unknown filter field '{field}': filter on a field declared filterable by a schema of this context, a metadata key of " +
                "indexed documents, or an ownership field (userId, externalId, orgId, clientId, scope:<namespace>).");
        }

        return kind == FieldKind.Date
            ? new(field, FilterTarget.PayloadDate, clause.Operator, [.. clause.Operands.Select(v => Instant(v, clause.Path))])
            : new(field, FilterTarget.Payload, clause.Operator, [.. clause.Operands.Select(v => Comparable(v, clause))]);
    }

    private static List<string> Strings(FilterClause clause, Func<string, string> convert) =>
        [.. clause.Operands.Select(v => v.GetValueKind() == JsonValueKind.String
            ? convert(v.GetValue<string>())
            : throw new ValidationException(clause.Path, $"{clause.Path}: {clause.Field} values are strings."))];

    private static string ScopeEntry(string field, string value, string path)
    {
        var ns = field switch
        {
            "orgId" => OwnershipScopes.Org,
            "clientId" => OwnershipScopes.Client,
            _ => ScopeNamespace(field)!,
        };
        return OwnershipScopes.IsValidValue(value)
            ? $"{ns}:{value}"
            : throw new ValidationException(path, $"{path}: a scope value is 1-128 characters, a letter or digit first, then letters, digits, '_' or '-'.");
    }

    /// <summary>The namespace of a <c>scope:&lt;ns&gt;</c> field (the record lookups' name for it), or null.</summary>
    private static string? ScopeNamespace(string field) =>
        field.StartsWith("scope:", StringComparison.Ordinal) && OwnershipScopes.IsValidNamespace(field[6..]) ? field[6..] : null;

    /// <summary>Ranges compare numbers with numbers and strings with strings; a boolean has no order.</summary>
    private static string Comparable(JsonValue value, FilterClause clause) =>
        clause.Operator is FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte
            && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? throw new ValidationException(clause.Path, $"{clause.Path}: range operators take a number or a string.")
            : value.ToJsonString();

    /// <summary>An ISO-8601 timestamp (a date alone is midnight UTC) or epoch milliseconds, as a UTC round-trip string.</summary>
    private static string Instant(JsonValue value, string path)
    {
        DateTimeOffset instant;
        if (value.GetValueKind() == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            instant = parsed;
        }
        else if (value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var millis)
            && millis >= -62135596800000 && millis <= 253402300799999)
        {
            instant = DateTimeOffset.FromUnixTimeMilliseconds(millis);
        }
        else
        {
            throw new ValidationException(path, $"{path}: a date filter takes an ISO-8601 timestamp or epoch milliseconds.");
        }

        return instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
    }
}

/// <summary>How a known payload field compares.</summary>
internal enum FieldKind
{
    /// <summary>As JSON: numbers with numbers, strings with strings, booleans by equality.</summary>
    Json,

    /// <summary>Declared <c>date</c> by every schema that declares it filterable: as instants.</summary>
    Date,
}
