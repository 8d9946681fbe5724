using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Schemas;

namespace Vectros.Grains.Records;

/// <summary>
/// Checks a plaintext payload against a record type's schema. Every failure is a 400 whose
/// <c>details.field</c> is the failing path (<c>payload.address.zip</c>); messages describe the rule that
/// failed and never quote the value, because the value may be sensitive (issue #3 §7).
/// Members the schema does not declare are kept as they are (a bare schema stores any payload).
/// </summary>
public static partial class PayloadValidator
{
    private static readonly ConcurrentDictionary<string, Regex?> _patterns = new(StringComparer.Ordinal);

    /// <summary>Size and depth caps, then each declared field. Returns the payload as JSON text (measured for the cap).</summary>
    public static string Validate(SchemaView schema, JsonObject payload)
    {
        var json = CheckSizeAndDepth(payload);
        NumberLimits.CheckPayload(payload);
        foreach (var field in schema.Definition.Fields)
        {
            ValidateField(field, payload);
        }

        return json;
    }

    /// <summary>The payload caps alone (<see cref="RecordLimits"/>); returns the payload as JSON text.</summary>
    public static string CheckSizeAndDepth(JsonObject payload)
    {
        CheckDepth(payload, "payload", 1);
        var json = payload.ToJsonString();
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > RecordLimits.MaxPayloadBytes)
        {
            throw new ValidationException("payload",
                $"payload is {bytes} bytes of JSON; a record payload may be at most {RecordLimits.MaxPayloadBytes} bytes (400 KB).");
        }

        return json;
    }

    private static void CheckDepth(JsonNode node, string path, int depth)
    {
        if (depth > RecordLimits.MaxPayloadDepth)
        {
            throw new ValidationException(path,
                $"{path} is nested too deeply: a payload may nest objects and arrays at most {RecordLimits.MaxPayloadDepth} levels.");
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (child is JsonObject or JsonArray)
                    {
                        CheckDepth(child, path + "." + name, depth + 1);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject or JsonArray)
                    {
                        CheckDepth(array[i]!, $"{path}[{i}]", depth + 1);
                    }
                }

                break;
        }
    }

    private static void ValidateField(FieldDefinition field, JsonObject payload)
    {
        var segments = PayloadPath.Split(field.FieldId);
        var path = PayloadPath.Display(field.FieldId);

        // A nested field needs object parents; a parent of another type is reported at the parent's path.
        JsonNode? node = payload;
        for (var i = 0; i < segments.Length; i++)
        {
            if (node is not JsonObject obj)
            {
                if (node is null)
                {
                    break;
                }

                var parent = "payload." + string.Join('.', segments.Take(i));
                throw new ValidationException(parent, $"{parent} must be an object (the schema declares {path}).");
            }

            node = obj.TryGetPropertyValue(segments[i], out var child) ? child : null;
            if (node is null)
            {
                break;
            }
        }

        if (node is null)
        {
            if (field.Required == true)
            {
                throw new ValidationException(path, $"{path} is required.");
            }

            return;
        }

        switch (field.FieldType)
        {
            case "string":
                ValidateString(field, path, RequireString(node, path, "a string"));
                break;
            case "number":
                ValidateNumber(field, path, node);
                break;
            case "boolean":
                if (node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new ValidationException(path, $"{path} must be a boolean.");
                }

                break;
            case "date":
                var text = RequireString(node, path, "an ISO-8601 date string (e.g. 2024-01-15 or 2024-01-15T09:30:00Z)");
                if (!IsIsoDate(text))
                {
                    throw new ValidationException(path, $"{path} must be an ISO-8601 date string (e.g. 2024-01-15 or 2024-01-15T09:30:00Z).");
                }

                break;
            case "enum":
                ValidateEnum(field, path, node);
                break;
            case "array":
                if (node is not JsonArray array)
                {
                    throw new ValidationException(path, $"{path} must be an array.");
                }

                ValidateItems(field, path, array.Count);
                break;
            case "object":
                if (node is not JsonObject)
                {
                    throw new ValidationException(path, $"{path} must be an object.");
                }

                break;
            case "reference":
                ValidateReference(field, path, node);
                break;
        }
    }

    private static string RequireString(JsonNode node, string path, string expected) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String
            ? value.GetValue<string>()
            : throw new ValidationException(path, $"{path} must be {expected}.");

    private static void ValidateString(FieldDefinition field, string path, string value)
    {
        var length = CountRunes(value);
        if (Rule(field, "minLength") is { } min && length < min)
        {
            throw new ValidationException(path, $"{path} must be at least {Format(min)} characters long.");
        }

        if (Rule(field, "maxLength") is { } max && length > max)
        {
            throw new ValidationException(path, $"{path} must be at most {Format(max)} characters long.");
        }

        if (field.Validation?["pattern"] is JsonValue p && p.GetValueKind() == JsonValueKind.String)
        {
            var regex = _patterns.GetOrAdd(p.GetValue<string>(), Compile)
                ?? throw new ValidationException(path, $"The schema's pattern for {path} is not a valid regular expression.");
            bool matched;
            try
            {
                matched = regex.IsMatch(value);
            }
            catch (RegexMatchTimeoutException)
            {
                throw new ValidationException(path, $"{path} could not be checked against the schema's pattern in time.");
            }

            if (!matched)
            {
                throw new ValidationException(path, $"{path} does not match the pattern the schema requires.");
            }
        }
    }

    private static void ValidateNumber(FieldDefinition field, string path, JsonNode node)
    {
        if (node.GetValueKind() != JsonValueKind.Number)
        {
            throw new ValidationException(path, $"{path} must be a number.");
        }

        var value = NumberOf(node);
        if ((Rule(field, "min") ?? Rule(field, "minimum")) is { } min && value < min)
        {
            throw new ValidationException(path, $"{path} must be at least {Format(min)}.");
        }

        if ((Rule(field, "max") ?? Rule(field, "maximum")) is { } max && value > max)
        {
            throw new ValidationException(path, $"{path} must be at most {Format(max)}.");
        }
    }

    private static void ValidateEnum(FieldDefinition field, string path, JsonNode node)
    {
        var allowed = field.EnumValues;
        if (allowed is null || allowed.Count == 0)
        {
            if (node is not JsonValue)
            {
                throw new ValidationException(path, $"{path} must be a single value.");
            }

            return;
        }

        foreach (var candidate in allowed)
        {
            if (JsonNode.DeepEquals(candidate, node))
            {
                return;
            }
        }

        throw new ValidationException(path,
            $"{path} must be one of: {string.Join(", ", allowed.Select(a => a?.ToJsonString() ?? "null"))}.");
    }

    private static void ValidateItems(FieldDefinition field, string path, int count)
    {
        if (Rule(field, "minItems") is { } min && count < min)
        {
            throw new ValidationException(path, $"{path} must have at least {Format(min)} items.");
        }

        if (Rule(field, "maxItems") is { } max && count > max)
        {
            throw new ValidationException(path, $"{path} must have at most {Format(max)} items.");
        }
    }

    private static void ValidateReference(FieldDefinition field, string path, JsonNode node)
    {
        if (string.Equals(field.Cardinality, "many", StringComparison.Ordinal))
        {
            if (node is not JsonArray array)
            {
                throw new ValidationException(path, $"{path} is a reference with cardinality 'many' and must be an array of strings.");
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is not JsonValue item || item.GetValueKind() != JsonValueKind.String || item.GetValue<string>().Length == 0)
                {
                    throw new ValidationException($"{path}[{i}]", $"{path}[{i}] must be a non-empty string.");
                }
            }

            ValidateItems(field, path, array.Count);
            return;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length == 0)
        {
            throw new ValidationException(path, $"{path} is a reference and must be a non-empty string.");
        }
    }

    private static double? Rule(FieldDefinition field, string name) =>
        field.Validation?[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? NumberOf(v) : null;

    // Via the JSON text so that element-backed and CLR-backed values (int, long, decimal) read alike.
    private static double NumberOf(JsonNode node) => double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static int CountRunes(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static Regex? Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, SchemaDefinitionValidator.PatternTimeout);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>A calendar date or an RFC 3339 date-time; other spellings (1/2/2024, epoch numbers) are refused.</summary>
    public static bool IsIsoDate(string text)
    {
        if (!IsoDateShape().IsMatch(text))
        {
            return false;
        }

        return text.Length == 10
            ? DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoDateShape();
}
