using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// Validates JSON instances against the OpenAPI 3.0 schema subset the Vectros spec uses (see
/// <see cref="SchemaKeywords"/>). No JSON Schema package can be used here (DESIGN.md §1), and 3.0 is not
/// JSON Schema anyway: <c>nullable</c> replaces type arrays and a <c>$ref</c>'s siblings are ignored.
/// Errors carry JSON paths: <c>$.data[0].createdAt: expected string, got number</c>.
/// </summary>
public sealed partial class SchemaValidator(JsonNode document)
{
    // A chain of pure references longer than this is a cycle (A -> B -> A), which would never reach a schema.
    private const int MaxReferenceHops = 64;
    private const int MaxAlternativeErrorsShown = 3;
    private const int MaxRenderedLength = 80;

    private static readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    private readonly JsonNode _document = document;

    /// <summary>Every way <paramref name="instance"/> (JSON null is <c>null</c>) violates <paramref name="schema"/>; empty when it conforms.</summary>
    /// <exception cref="NotSupportedException">The schema uses a keyword outside <see cref="SchemaKeywords"/>.</exception>
    /// <exception cref="InvalidDataException">The schema is malformed: a dangling or cyclic <c>$ref</c>, a non-object schema.</exception>
    public IReadOnlyList<string> Validate(JsonNode? instance, JsonNode schema)
    {
        var errors = new List<string>();
        Check(instance, schema, "$", errors);
        // Distinct because the spec sometimes states a rule twice (an enum on both an array and its items).
        return [.. errors.Distinct(StringComparer.Ordinal)];
    }

    private void Check(JsonNode? instance, JsonNode schema, string path, List<string> errors)
    {
        var s = Dereference(schema);
        foreach (var (keyword, _) in s)
        {
            if (!SchemaKeywords.IsKnown(keyword))
            {
                throw new NotSupportedException($"Schema keyword '{keyword}' at {s.GetPath()} is not supported by {nameof(SchemaValidator)}.");
            }
        }

        var type = s["type"]?.GetValue<string>();
        if (instance is null)
        {
            // OpenAPI 3.0: null is valid only where `nullable: true` widens the type. The spec never pairs
            // nullable with enum, so the 3.0.3 debate over whether enum must then list null does not arise.
            if (IsTrue(s["nullable"]))
            {
                return;
            }

            if (type is not null)
            {
                errors.Add($"{path}: expected {type}, got null (not nullable)");
                return;
            }
        }
        else if (type is not null && !HasType(instance, type))
        {
            // Nothing else about a value of the wrong type is worth reporting.
            errors.Add($"{path}: expected {type}, got {Describe(instance, type)}");
            return;
        }

        CheckEnum(instance, s, path, errors);
        switch (instance)
        {
            case JsonObject obj:
                CheckObject(obj, s, path, errors);
                break;
            case JsonArray array:
                CheckArray(array, s, path, errors);
                break;
            case JsonValue value:
                CheckScalar(value, s, path, errors);
                break;
        }

        CheckCombinators(instance, s, path, errors);
    }

    private JsonObject Dereference(JsonNode schema)
    {
        var current = schema;
        for (var hops = 0; ; hops++)
        {
            if (current is not JsonObject obj)
            {
                throw new InvalidDataException($"The schema at {current.GetPath()} is {current.GetValueKind()}, not an object.");
            }

            // OpenAPI 3.0: a $ref replaces its whole object; siblings such as `description` are ignored.
            if (obj["$ref"] is not JsonValue reference)
            {
                return obj;
            }

            if (hops == MaxReferenceHops)
            {
                throw new InvalidDataException($"$ref cycle: {schema.GetPath()} never reaches a schema after {MaxReferenceHops} references.");
            }

            var target = reference.GetValue<string>();
            current = JsonPointer.Resolve(_document, target)
                ?? throw new InvalidDataException($"The $ref '{target}' at {obj.GetPath()} does not resolve.");
        }
    }

    private static bool HasType(JsonNode instance, string type) => type switch
    {
        "object" => instance is JsonObject,
        "array" => instance is JsonArray,
        "string" => instance.GetValueKind() == JsonValueKind.String,
        "boolean" => instance.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        "number" => instance.GetValueKind() == JsonValueKind.Number,
        // OpenAPI 3.0 takes JSON Schema Wright-00, where an integer is a number with no fraction or exponent
        // part; 1.0 is rejected because typed clients (System.Text.Json's GetInt64, for one) refuse it.
        "integer" => instance.GetValueKind() == JsonValueKind.Number && IntegerLiteral().IsMatch(instance.ToJsonString()),
        _ => throw new NotSupportedException($"Schema type '{type}' is not an OpenAPI 3.0 type."),
    };

    private static void CheckEnum(JsonNode? instance, JsonObject s, string path, List<string> errors)
    {
        if (s["enum"] is not JsonArray options)
        {
            return;
        }

        // Spec quirk: four array properties (SchemaRequest/SchemaResponse.allowedSurfaces,
        // SearchRequest/RagSearch.contentTypes) repeat their items' string enum on the array itself. Read
        // literally no array could ever match, so an enum without array members is applied to each element.
        if (instance is JsonArray array && !options.Any(o => o is JsonArray))
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (!options.Any(o => JsonNode.DeepEquals(o, array[i])))
                {
                    errors.Add($"{Index(path, i)}: {Render(array[i])} is not one of {options.ToJsonString()}");
                }
            }

            return;
        }

        if (!options.Any(o => JsonNode.DeepEquals(o, instance)))
        {
            errors.Add($"{path}: {Render(instance)} is not one of {options.ToJsonString()}");
        }
    }

    private void CheckObject(JsonObject instance, JsonObject s, string path, List<string> errors)
    {
        if (s["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()))
            {
                if (!instance.ContainsKey(name))
                {
                    errors.Add($"{path}: missing required property '{name}'");
                }
            }
        }

        var properties = s["properties"] as JsonObject;
        if (properties is not null)
        {
            foreach (var (name, propertySchema) in properties)
            {
                if (propertySchema is not null && instance.TryGetPropertyValue(name, out var value))
                {
                    Check(value, propertySchema, Property(path, name), errors);
                }
            }
        }

        // Absent or `true`: unknown properties are allowed (OpenAPI 3.0's default).
        var additional = s["additionalProperties"];
        if (additional is null || IsTrue(additional))
        {
            return;
        }

        foreach (var (name, value) in instance)
        {
            if (properties?.ContainsKey(name) == true)
            {
                continue;
            }

            if (additional is JsonObject additionalSchema)
            {
                Check(value, additionalSchema, Property(path, name), errors);
            }
            else
            {
                errors.Add($"{path}: property '{name}' is not allowed (additionalProperties: false)");
            }
        }
    }

    private void CheckArray(JsonArray instance, JsonObject s, string path, List<string> errors)
    {
        if (s["minItems"] is { } minItems && instance.Count < minItems.AsCount())
        {
            errors.Add($"{path}: has {instance.Count} items, fewer than minItems {minItems.AsCount()}");
        }

        if (s["maxItems"] is { } maxItems && instance.Count > maxItems.AsCount())
        {
            errors.Add($"{path}: has {instance.Count} items, more than maxItems {maxItems.AsCount()}");
        }

        if (s["items"] is { } items)
        {
            for (var i = 0; i < instance.Count; i++)
            {
                Check(instance[i], items, Index(path, i), errors);
            }
        }
    }

    private static void CheckScalar(JsonValue instance, JsonObject s, string path, List<string> errors)
    {
        var format = s["format"]?.GetValue<string>();
        switch (instance.GetValueKind())
        {
            case JsonValueKind.Number:
                if (s["minimum"] is { } minimum && CompareNumbers(instance, minimum) < 0)
                {
                    errors.Add($"{path}: {instance.ToJsonString()} is less than the minimum {minimum.ToJsonString()}");
                }

                if (s["maximum"] is { } maximum && CompareNumbers(instance, maximum) > 0)
                {
                    errors.Add($"{path}: {instance.ToJsonString()} is greater than the maximum {maximum.ToJsonString()}");
                }

                CheckNumberFormat(instance, format, path, errors);
                break;
            case JsonValueKind.String:
                var text = instance.GetValue<string>();
                CheckString(text, s, path, errors);
                CheckStringFormat(text, format, path, errors);
                break;
        }
    }

    private static void CheckString(string text, JsonObject s, string path, List<string> errors)
    {
        // JSON Schema counts characters as code points, not UTF-16 units.
        var length = text.EnumerateRunes().Count();
        if (s["minLength"] is { } minLength && length < minLength.AsCount())
        {
            errors.Add($"{path}: length {length} is below minLength {minLength.AsCount()}");
        }

        if (s["maxLength"] is { } maxLength && length > maxLength.AsCount())
        {
            errors.Add($"{path}: length {length} is above maxLength {maxLength.AsCount()}");
        }

        if (s["pattern"]?.GetValue<string>() is { } pattern)
        {
            // Patterns are unanchored, as in JSON Schema; the spec writes ^...$ where it means the whole value.
            var regex = _patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
            if (!regex.IsMatch(text))
            {
                errors.Add($"{path}: {Render(JsonValue.Create(text))} does not match pattern {pattern}");
            }
        }
    }

    private static void CheckNumberFormat(JsonValue instance, string? format, string path, List<string> errors)
    {
        // Type `integer` has already rejected fractions, so here only the range is in question. float and double
        // accept any JSON number, as the type does.
        var raw = instance.ToJsonString();
        var outOfRange = format switch
        {
            "int32" => !int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            "int64" => !long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _),
            _ => false,
        };
        if (outOfRange && IntegerLiteral().IsMatch(raw))
        {
            errors.Add($"{path}: {raw} is out of range for {format}");
        }
    }

    private static void CheckStringFormat(string text, string? format, string path, List<string> errors)
    {
        // Unknown formats are annotations in OpenAPI 3.0 ("format is an open value"), so only these are checked.
        var valid = format switch
        {
            // RFC 3339 date-time, which is what OpenAPI means; parsing as well catches 2024-02-30 and 25:00.
            "date-time" => Rfc3339DateTime().IsMatch(text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "date" => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            "uuid" => Guid.TryParseExact(text, "D", out _),
            _ => true,
        };
        if (!valid)
        {
            errors.Add($"{path}: {Render(JsonValue.Create(text))} is not a valid {format}");
        }
    }

    private void CheckCombinators(JsonNode? instance, JsonObject s, string path, List<string> errors)
    {
        if (s["allOf"] is JsonArray allOf)
        {
            foreach (var part in allOf)
            {
                Check(instance, part!, path, errors);
            }
        }

        if (s["anyOf"] is JsonArray anyOf)
        {
            var outcomes = Alternatives(instance, anyOf, path);
            if (!outcomes.Any(o => o.Errors.Count == 0))
            {
                errors.Add($"{path}: matches none of the anyOf alternatives: {Summarise(outcomes)}");
            }
        }

        if (s["oneOf"] is JsonArray oneOf)
        {
            var outcomes = Alternatives(instance, oneOf, path);
            var matched = outcomes.Where(o => o.Errors.Count == 0).ToList();
            if (matched.Count > 1)
            {
                errors.Add($"{path}: matches {matched.Count} oneOf alternatives ({string.Join(", ", matched.Select(m => m.Label))}); exactly one must match");
            }
            else if (matched.Count == 0)
            {
                ExplainOneOfMiss(instance, s, outcomes, path, errors);
            }
        }
    }

    private void ExplainOneOfMiss(JsonNode? instance, JsonObject s, List<Alternative> outcomes, string path, List<string> errors)
    {
        // With a discriminator the intended alternative is known, and its own errors are what the reader needs.
        var propertyName = s["discriminator"]?["propertyName"]?.GetValue<string>();
        if (propertyName is not null
            && instance is JsonObject obj
            && obj[propertyName] is JsonValue tag
            && tag.GetValueKind() == JsonValueKind.String)
        {
            // The spec's discriminators have no mapping and their values are not schema names, so the alternative
            // is the one whose discriminator property enumerates the value; a schema name also counts (3.0's default).
            var selected = outcomes.FirstOrDefault(o =>
                string.Equals(o.Label, tag.GetValue<string>(), StringComparison.Ordinal)
                || (o.Schema["properties"]?[propertyName] is { } property
                    && Dereference(property)["enum"] is JsonArray values
                    && values.Any(v => JsonNode.DeepEquals(v, tag))));
            if (selected is not null)
            {
                errors.Add($"{path}: {propertyName} {Render(tag)} selects oneOf alternative {selected.Label}, which does not match:");
                errors.AddRange(selected.Errors);
            }
            else
            {
                errors.Add($"{path}: {propertyName} {Render(tag)} selects none of the oneOf alternatives ({string.Join(", ", outcomes.Select(o => o.Label))})");
            }

            return;
        }

        errors.Add($"{path}: matches none of the oneOf alternatives: {Summarise(outcomes)}");
    }

    private List<Alternative> Alternatives(JsonNode? instance, JsonArray alternatives, string path)
    {
        var outcomes = new List<Alternative>(alternatives.Count);
        foreach (var alternative in alternatives)
        {
            var branchErrors = new List<string>();
            Check(instance, alternative!, path, branchErrors);
            var resolved = Dereference(alternative!);
            var label = alternative!["$ref"]?.GetValue<string>() is { } reference
                ? reference[(reference.LastIndexOf('/') + 1)..]
                : resolved["type"]?.GetValue<string>() ?? $"#{outcomes.Count}";
            outcomes.Add(new Alternative(label, branchErrors, resolved));
        }

        return outcomes;
    }

    private static string Summarise(List<Alternative> outcomes) =>
        string.Join(" | ", outcomes.Select(o =>
            $"{o.Label}: {string.Join("; ", o.Errors.Take(MaxAlternativeErrorsShown))}{(o.Errors.Count > MaxAlternativeErrorsShown ? "; ..." : string.Empty)}"));

    private static int CompareNumbers(JsonNode left, JsonNode right)
    {
        var l = left.ToJsonString();
        var r = right.ToJsonString();
        // decimal is exact for everything the spec and our responses carry; double covers the astronomically large.
        return decimal.TryParse(l, NumberStyles.Float, CultureInfo.InvariantCulture, out var ld)
            && decimal.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var rd)
            ? ld.CompareTo(rd)
            : double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture).CompareTo(double.Parse(r, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() == JsonValueKind.True;

    private static string Describe(JsonNode instance, string expected) => instance.GetValueKind() switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        // Only an integer/number mismatch needs the value itself to make sense (1.5, 1.0, 1e3).
        JsonValueKind.Number when expected == "integer" => $"number {instance.ToJsonString()}",
        JsonValueKind.Number => "number",
        var other => other.ToString(),
    };

    private static string Render(JsonNode? instance)
    {
        var json = instance?.ToJsonString() ?? "null";
        return json.Length <= MaxRenderedLength ? json : json[..MaxRenderedLength] + "...";
    }

    private static string Property(string path, string name) =>
        Identifier().IsMatch(name) ? $"{path}.{name}" : $"{path}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    private static string Index(string path, int index) => string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");

    [GeneratedRegex(@"^-?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerLiteral();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339DateTime();

    [GeneratedRegex(@"^[A-Za-z_$][A-Za-z0-9_$]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    private sealed record Alternative(string Label, List<string> Errors, JsonObject Schema);
}

/// <summary>Schema counts (minLength, maxItems, …) whichever integer type the YAML reader produced.</summary>
internal static class SchemaCounts
{
    public static int AsCount(this JsonNode node) =>
        node.AsValue().TryGetValue<int>(out var i) ? i : checked((int)node.AsValue().GetValue<long>());
}
