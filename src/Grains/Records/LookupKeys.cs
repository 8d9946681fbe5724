using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>
/// Canonical lookup keys, the same on write and on query: strings as they are, numbers as a normalised decimal
/// (<c>1.50</c> and <c>1.5e0</c> both become <c>1.5</c>), booleans as <c>true</c>/<c>false</c>. A sensitive
/// field's key is the tenant's keyed blind index of the canonical value, never the value.
/// </summary>
public static class LookupKeys
{
    private const string DigestPrefix = "#sha256:";

    /// <summary>Canonical text of a scalar JSON value; null for objects, arrays and null.</summary>
    public static string? Canonical(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => NormalizeNumber(value.ToJsonString()) ?? value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    /// <summary>The decimal a number or numeric string stands for, or null when it does not fit a decimal.</summary>
    public static decimal? ParseDecimal(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>
    /// Canonical decimal text without trailing zeros, exact to the digit, or null when the text is not a number
    /// within <see cref="NumberLimits"/>.
    /// </summary>
    public static string? NormalizeNumber(string text) => NumberLimits.Canonical(text);

    /// <summary>
    /// The canonical key for a lookup value given as text (query string or body) against a declared field.
    /// The message names the field, never the value.
    /// </summary>
    public static string ForQuery(FieldDefinition? field, string fieldName, string text, string parameter = "value")
    {
        switch (field?.FieldType)
        {
            case "number":
                NumberLimits.CheckValue(text, parameter);
                return NormalizeNumber(text)
                    ?? throw new ValidationException(parameter, $"The lookup value for '{fieldName}' must be a number.");
            case "boolean":
                return text is "true" or "false"
                    ? text
                    : throw new ValidationException(parameter, $"The lookup value for '{fieldName}' must be true or false.");
            default:
                return text;
        }
    }

    /// <summary>What goes in <c>record_lookups.value_key</c> for a canonical value.</summary>
    public static string StoredKey(string canonical, bool sensitive, TenantKeys? keys, string typeName, string field)
    {
        if (sensitive)
        {
            return (keys ?? throw new InvalidOperationException("Tenant keys are needed for a sensitive lookup."))
                .BlindIndex(BlindScope(typeName, field), canonical);
        }

        return canonical.Length <= RecordLimits.MaxIndexedValueLength
            ? canonical
            : DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public static string BlindScope(string typeName, string field) => typeName + "." + field;
}
