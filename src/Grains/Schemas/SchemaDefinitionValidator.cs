using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// Checks a schema definition on its own (spec SchemaRequest L9125, FieldDef L8834, LookupDef L8922) and returns
/// it normalised: defaults written out, so that "identical content" on upsert compares like with like and
/// readers never guess a default. Every failure names the field path, e.g. <c>fields[2].fieldType</c>.
/// Rules about changing an existing schema live in <see cref="SchemaChangeRules"/>.
/// </summary>
public static partial class SchemaDefinitionValidator
{
    public const int MaxFields = 200;
    public const int MaxLookupFields = 10;

    /// <summary>
    /// Fast exact-match (equality, non-range) lookup indexes per schema (LookupDef.allowOverflow, L8952). More need
    /// <c>allowOverflow</c>; range-enabled lookups do not count, composites do. 7, the real service's figure
    /// (DESIGN §5a), not the 5 this code first had. The README states this number.
    /// </summary>
    public const int EqualityLookupSlots = 7;

    public const int MaxDisplayNameLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxPatternLength = 1000;
    public const int MaxEnumValues = 500;

    /// <summary>Patterns are compiled with this timeout everywhere (schema check and record validation) so a hostile one cannot hang a turn.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    public static readonly IReadOnlyList<string> FieldTypes = ["string", "number", "boolean", "date", "enum", "array", "object", "reference"];
    /// <summary>
    /// Where a schema may bind. 0.40 binds entities of every namespace through <c>entity</c>; the 0.31 values
    /// <c>org</c> and <c>client</c> stay accepted and mean entity binding in those two namespaces (DESIGN §5a).
    /// </summary>
    public static readonly IReadOnlyList<string> Surfaces = ["record", "document", "user", "entity", "org", "client"];

    /// <summary>What a reference field may point at: <c>entity</c> is a binding, not a target (0.40 §5).</summary>
    public static readonly IReadOnlyList<string> TargetSurfaces = ["record", "document", "user", "org", "client"];
    public static readonly IReadOnlyList<string> IndexModes = ["HYBRID", "SEMANTIC", "TEXT", "NONE"];
    public static readonly IReadOnlyList<string> StorageProfiles = ["STANDARD", "LOW_LATENCY", "LARGE_PAYLOAD"];
    public static readonly IReadOnlyList<string> Cardinalities = ["one", "many"];
    public static readonly IReadOnlyList<string> Widgets = ["text", "textarea", "select", "date", "checkbox"];

    /// <summary>Ownership lookups are automatic (spec L3880ff) and so cannot be declared as payload lookups.</summary>
    public static readonly IReadOnlyList<string> OwnershipLookups = ["userId", "orgId", "clientId"];

    private static readonly string[] _lengthRules = ["minLength", "maxLength", "pattern"];
    private static readonly string[] _rangeRules = ["min", "max", "minimum", "maximum"];
    private static readonly string[] _itemRules = ["minItems", "maxItems"];
    private static readonly string[] _renderHintKeys = ["label", "widget", "order", "section", "helpText", "displayField"];

    public static SchemaDefinition Validate(SchemaDefinition definition)
    {
        var displayName = definition.DisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName))
        {
            throw new ValidationException("displayName", "displayName is required.");
        }

        if (displayName.Length > MaxDisplayNameLength)
        {
            throw new ValidationException("displayName", $"displayName must be at most {MaxDisplayNameLength} characters.");
        }

        if (definition.Description is { Length: > MaxDescriptionLength })
        {
            throw new ValidationException("description", $"description must be at most {MaxDescriptionLength} characters.");
        }

        CheckOneOf(definition.IndexMode, IndexModes, "indexMode");
        CheckOneOf(definition.StorageProfile, StorageProfiles, "storageProfile");
        var surfaces = CheckSurfaces(definition.AllowedSurfaces);
        var fields = CheckFields(definition.Fields);
        var lookups = CheckLookups(definition.LookupFields, fields, surfaces);
        var renderHints = CheckRenderHints(definition.RenderHints, fields);
        var capabilities = new Dictionary<string, bool>(definition.Capabilities, StringComparer.Ordinal);
        capabilities.TryAdd("auditHistory", true);
        capabilities.TryAdd("readAccessLog", false);

        return definition with
        {
            DisplayName = displayName,
            Fields = fields,
            LookupFields = lookups,
            RenderHints = renderHints,
            Capabilities = capabilities,
            StorageProfile = definition.StorageProfile ?? "STANDARD",
            AllowedSurfaces = surfaces,
        };
    }

    private static List<string> CheckSurfaces(IReadOnlyList<string>? surfaces)
    {
        if (surfaces is null || surfaces.Count == 0)
        {
            throw new ValidationException("allowedSurfaces", "allowedSurfaces must be a non-empty array of: " + string.Join(", ", Surfaces) + ".");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < surfaces.Count; i++)
        {
            if (surfaces[i] is null)
            {
                throw new ValidationException($"allowedSurfaces[{i}]", $"allowedSurfaces[{i}] must be a string.");
            }

            CheckOneOf(surfaces[i], Surfaces, $"allowedSurfaces[{i}]");
            if (!seen.Add(surfaces[i]))
            {
                throw new ValidationException($"allowedSurfaces[{i}]", $"allowedSurfaces[{i}] repeats '{surfaces[i]}'.");
            }
        }

        return [.. surfaces];
    }

    private static List<FieldDefinition> CheckFields(IReadOnlyList<FieldDefinition>? fields)
    {
        fields ??= [];
        if (fields.Count > MaxFields)
        {
            throw new ValidationException("fields", $"A schema may declare at most {MaxFields} fields.");
        }

        var result = new List<FieldDefinition>(fields.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < fields.Count; i++)
        {
            var path = $"fields[{i}]";
            var field = fields[i] ?? throw new ValidationException(path, $"{path} must be an object.");
            if (string.IsNullOrEmpty(field.FieldId))
            {
                throw new ValidationException($"{path}.fieldId", $"{path}.fieldId is required.");
            }

            if (!IsValidFieldId(field.FieldId))
            {
                throw new ValidationException($"{path}.fieldId",
                    $"{path}.fieldId must be 1-64 characters: a letter followed by letters, digits or underscores.");
            }

            if (!ids.Add(field.FieldId))
            {
                throw new ValidationException($"{path}.fieldId", $"{path}.fieldId '{field.FieldId}' is declared more than once.");
            }

            if (string.IsNullOrEmpty(field.FieldType))
            {
                throw new ValidationException($"{path}.fieldType", $"{path}.fieldType is required.");
            }

            CheckOneOf(field.FieldType, FieldTypes, $"{path}.fieldType");
            if (field.Description is { Length: > MaxDescriptionLength })
            {
                throw new ValidationException($"{path}.description", $"{path}.description must be at most {MaxDescriptionLength} characters.");
            }

            // A sensitive value is excluded from search (FieldDef.sensitive): asking for both is a contradiction.
            if (field.Sensitive == true && field.Searchable == true)
            {
                throw new ValidationException($"{path}.searchable", $"{path}.searchable: a sensitive field cannot be searchable (sensitive values are never indexed for search).");
            }

            if (field.Sensitive == true && field.Filterable == true)
            {
                throw new ValidationException($"{path}.filterable", $"{path}.filterable: a sensitive field cannot be filterable (sensitive values are never indexed for search).");
            }

            var normalised = CheckReference(field, path);
            CheckEnumValues(field, path);
            CheckValidation(field, path);

            // Flags written out, so that restating a field with "required": false is not a change.
            result.Add(normalised with
            {
                Required = field.Required ?? false,
                Searchable = field.Searchable ?? false,
                Filterable = field.Filterable ?? false,
                Sensitive = field.Sensitive ?? false,
            });
        }

        return result;
    }

    private static FieldDefinition CheckReference(FieldDefinition field, string path)
    {
        if (field.FieldType != "reference")
        {
            foreach (var (name, value) in new[]
                     {
                         ("targetTypeName", field.TargetTypeName), ("targetField", field.TargetField),
                         ("cardinality", field.Cardinality), ("targetSurface", field.TargetSurface),
                     })
            {
                if (value is not null)
                {
                    throw new ValidationException($"{path}.{name}", $"{path}.{name} applies only to reference fields.");
                }
            }

            return field;
        }

        if (string.IsNullOrEmpty(field.TargetTypeName))
        {
            throw new ValidationException($"{path}.targetTypeName", $"{path}.targetTypeName is required for a reference field.");
        }

        if (!SchemaTypeNames.IsValid(field.TargetTypeName))
        {
            throw new ValidationException($"{path}.targetTypeName", $"{path}.targetTypeName is not a valid type name.");
        }

        if (string.IsNullOrEmpty(field.TargetSurface))
        {
            throw new ValidationException($"{path}.targetSurface", $"{path}.targetSurface is required for a reference field (one of: {string.Join(", ", TargetSurfaces)}).");
        }

        CheckOneOf(field.TargetSurface, TargetSurfaces, $"{path}.targetSurface");
        CheckOneOf(field.Cardinality, Cardinalities, $"{path}.cardinality");
        if (field.TargetField is not null && !IsValidFieldId(field.TargetField) && field.TargetField != "externalId")
        {
            throw new ValidationException($"{path}.targetField", $"{path}.targetField must name a field of the target type.");
        }

        return field with { Cardinality = field.Cardinality ?? "one", TargetField = field.TargetField ?? "externalId" };
    }

    private static void CheckEnumValues(FieldDefinition field, string path)
    {
        if (field.FieldType != "enum")
        {
            if (field.EnumValues is not null)
            {
                throw new ValidationException($"{path}.enumValues", $"{path}.enumValues applies only to enum fields.");
            }

            return;
        }

        if (field.EnumValues is not { Count: > 0 } values)
        {
            throw new ValidationException($"{path}.enumValues", $"{path}.enumValues must list the allowed values of an enum field.");
        }

        if (values.Count > MaxEnumValues)
        {
            throw new ValidationException($"{path}.enumValues", $"{path}.enumValues may list at most {MaxEnumValues} values.");
        }

        for (var i = 0; i < values.Count; i++)
        {
            // Records compare a payload value with these by JSON equality, so only scalars make sense.
            if (values[i] is not JsonValue value || value.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False))
            {
                throw new ValidationException($"{path}.enumValues[{i}]", $"{path}.enumValues[{i}] must be a string, number or boolean.");
            }

            for (var j = 0; j < i; j++)
            {
                if (JsonNode.DeepEquals(values[j], value))
                {
                    throw new ValidationException($"{path}.enumValues[{i}]", $"{path}.enumValues[{i}] repeats an earlier value.");
                }
            }
        }
    }

    private static void CheckValidation(FieldDefinition field, string path)
    {
        if (field.Validation is not { } rules)
        {
            return;
        }

        var applicable = field.FieldType switch
        {
            "string" => _lengthRules,
            "number" => _rangeRules,
            "array" => _itemRules,
            _ => [],
        };

        foreach (var (name, value) in rules)
        {
            var rulePath = $"{path}.validation.{name}";
            if (!_lengthRules.Contains(name) && !_rangeRules.Contains(name) && !_itemRules.Contains(name))
            {
                throw new ValidationException(rulePath,
                    $"{rulePath} is not a known rule; use minLength, maxLength, pattern (strings), min/minimum, max/maximum (numbers), minItems, maxItems (arrays), and {path}.required for required.");
            }

            if (!applicable.Contains(name))
            {
                throw new ValidationException(rulePath, $"{rulePath} does not apply to a {field.FieldType} field.");
            }

            switch (name)
            {
                case "pattern":
                    CheckPattern(value, rulePath);
                    break;
                case "min" or "max" or "minimum" or "maximum":
                    _ = Number(value, rulePath);
                    break;
                default:
                    var count = Number(value, rulePath);
                    if (count is < 0 or > int.MaxValue || count != Math.Floor(count))
                    {
                        throw new ValidationException(rulePath, $"{rulePath} must be a non-negative integer.");
                    }

                    break;
            }
        }

        if (rules.ContainsKey("min") && rules.ContainsKey("minimum"))
        {
            throw new ValidationException($"{path}.validation.minimum", $"{path}.validation gives both min and minimum; use one.");
        }

        if (rules.ContainsKey("max") && rules.ContainsKey("maximum"))
        {
            throw new ValidationException($"{path}.validation.maximum", $"{path}.validation gives both max and maximum; use one.");
        }

        CheckOrder(rules, path, "minLength", "maxLength");
        CheckOrder(rules, path, "minItems", "maxItems");
        CheckOrder(rules, path, rules.ContainsKey("min") ? "min" : "minimum", rules.ContainsKey("max") ? "max" : "maximum");
    }

    private static void CheckOrder(JsonObject rules, string path, string low, string high)
    {
        if (rules[low] is JsonValue l && rules[high] is JsonValue h && Number(l, low) > Number(h, high))
        {
            throw new ValidationException($"{path}.validation.{low}", $"{path}.validation.{low} is greater than {high}.");
        }
    }

    private static double Number(JsonNode? value, string path) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? double.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw new ValidationException(path, $"{path} must be a number.");

    private static void CheckPattern(JsonNode? value, string path)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            throw new ValidationException(path, $"{path} must be a string (a regular expression).");
        }

        var pattern = v.GetValue<string>();
        if (pattern.Length is 0 or > MaxPatternLength)
        {
            throw new ValidationException(path, $"{path} must be 1-{MaxPatternLength} characters.");
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (ArgumentException)
        {
            // The parser's message quotes the pattern, which is the client's own input; say only that it is invalid.
            throw new ValidationException(path, $"{path} is not a valid regular expression.");
        }
    }

    private static List<LookupDefinition> CheckLookups(IReadOnlyList<LookupDefinition>? lookups, List<FieldDefinition> fields, List<string> surfaces)
    {
        lookups ??= [];
        if (lookups.Count > MaxLookupFields)
        {
            throw new ValidationException("lookupFields", $"A schema may declare at most {MaxLookupFields} lookup fields (got {lookups.Count}).");
        }

        var result = new List<LookupDefinition>(lookups.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var equalitySlotsUsed = 0;
        for (var i = 0; i < lookups.Count; i++)
        {
            var path = $"lookupFields[{i}]";
            var lookup = lookups[i] ?? throw new ValidationException(path, $"{path} must be a field name or an object.");
            if (lookup.FieldNames is not null)
            {
                var composite = CompositeLookupRules.Check(lookup, path, fields, surfaces);
                if (!names.Add(composite.Key))
                {
                    throw new ValidationException($"{path}.fieldNames", $"{path}.fieldNames [{composite.Key}] is declared more than once.");
                }

                CheckSortBy(composite, path, fields);
                CheckEqualitySlot(composite, path, ++equalitySlotsUsed);
                result.Add(composite with { SortBy = composite.SortBy ?? "createdAt", AllowOverflow = composite.AllowOverflow ?? false });
                continue;
            }

            if (string.IsNullOrEmpty(lookup.FieldName))
            {
                throw new ValidationException($"{path}.fieldName", $"{path}.fieldName (or fieldNames, for a lookup over several fields) is required.");
            }

            if (OwnershipLookups.Contains(lookup.FieldName))
            {
                throw new ValidationException($"{path}.fieldName", $"{path}.fieldName '{lookup.FieldName}' is an automatic ownership lookup and cannot be declared.");
            }

            if (!names.Add(lookup.FieldName))
            {
                throw new ValidationException($"{path}.fieldName", $"{path}.fieldName '{lookup.FieldName}' is declared more than once.");
            }

            var field = fields.FirstOrDefault(f => string.Equals(f.FieldId, lookup.FieldName, StringComparison.Ordinal))
                ?? throw new ValidationException($"{path}.fieldName", $"{path}.fieldName '{lookup.FieldName}' is not a declared field of this schema.");

            // Only single scalar values have one index key; arrays, objects and many-references do not.
            var scalar = field.FieldType is "string" or "number" or "date" or "enum" or "boolean"
                || (field.FieldType == "reference" && field.Cardinality == "one");
            if (!scalar)
            {
                throw new ValidationException($"{path}.fieldName",
                    $"{path}.fieldName '{lookup.FieldName}' is a {field.FieldType}{(field.FieldType == "reference" ? " with cardinality many" : "")} field; lookups need a single scalar value.");
            }

            if (lookup.RangeEnabled == true)
            {
                if (field.Sensitive == true)
                {
                    throw new ValidationException($"{path}.rangeEnabled", $"{path}.rangeEnabled cannot be set on a sensitive field: its blind index is not orderable.");
                }

                // Ordered lookups mean something only for ordered values.
                if (field.FieldType is not ("string" or "number" or "date"))
                {
                    throw new ValidationException($"{path}.rangeEnabled", $"{path}.rangeEnabled needs a string, number or date field; '{lookup.FieldName}' is a {field.FieldType}.");
                }
            }

            CheckSortBy(lookup, path, fields);
            if (lookup.RangeEnabled != true)
            {
                CheckEqualitySlot(lookup, path, ++equalitySlotsUsed);
            }

            result.Add(lookup with
            {
                Unique = lookup.Unique ?? false,
                RangeEnabled = lookup.RangeEnabled ?? false,
                SortBy = lookup.SortBy ?? "createdAt",
                AllowOverflow = lookup.AllowOverflow ?? false,
            });
        }

        return result;
    }

    private static void CheckSortBy(LookupDefinition lookup, string path, List<FieldDefinition> fields)
    {
        var sortBy = lookup.SortBy ?? "createdAt";
        if (sortBy is not ("createdAt" or "lastUpdated") && !fields.Any(f => string.Equals(f.FieldId, sortBy, StringComparison.Ordinal)))
        {
            throw new ValidationException($"{path}.sortBy", $"{path}.sortBy must be createdAt, lastUpdated or a declared field of this schema.");
        }
    }

    /// <summary>The <paramref name="slot"/>th exact-match lookup must fit the budget or opt into overflow.</summary>
    private static void CheckEqualitySlot(LookupDefinition lookup, string path, int slot)
    {
        if (slot > EqualityLookupSlots && lookup.AllowOverflow != true)
        {
            throw new ValidationException($"{path}.allowOverflow",
                $"A schema has {EqualityLookupSlots} exact-match lookup slots; {path} ('{lookup.Key}') is beyond them. Set allowOverflow: true to use a costlier secondary index, or make it rangeEnabled.");
        }
    }

    private static JsonObject? CheckRenderHints(JsonObject? hints, List<FieldDefinition> fields)
    {
        // No hints and an empty map mean the same; keep one form so that restating either is not a change.
        if (hints is null || hints.Count == 0)
        {
            return null;
        }

        var displayFields = 0;
        foreach (var (fieldId, hint) in hints)
        {
            var path = $"renderHints.{fieldId}";
            if (!fields.Any(f => string.Equals(f.FieldId, fieldId, StringComparison.Ordinal)))
            {
                throw new ValidationException(path, $"{path} names no declared field.");
            }

            if (hint is not JsonObject h)
            {
                throw new ValidationException(path, $"{path} must be an object.");
            }

            foreach (var (key, value) in h)
            {
                var keyPath = $"{path}.{key}";
                if (!_renderHintKeys.Contains(key))
                {
                    throw new ValidationException(keyPath, $"Unknown field '{keyPath}'.");
                }

                var kind = value?.GetValueKind() ?? JsonValueKind.Null;
                switch (key)
                {
                    case "widget":
                        CheckOneOf(kind == JsonValueKind.String ? value!.GetValue<string>() : "", Widgets, keyPath);
                        break;
                    case "order":
                        if (kind != JsonValueKind.Number || !int.TryParse(value!.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                        {
                            throw new ValidationException(keyPath, $"{keyPath} must be an integer.");
                        }

                        break;
                    case "displayField":
                        if (kind is not (JsonValueKind.True or JsonValueKind.False))
                        {
                            throw new ValidationException(keyPath, $"{keyPath} must be a boolean.");
                        }

                        if (kind == JsonValueKind.True && ++displayFields > 1)
                        {
                            throw new ValidationException(keyPath, "At most one field per schema may be the displayField.");
                        }

                        break;
                    default:
                        if (kind != JsonValueKind.String || value!.GetValue<string>().Length > MaxDescriptionLength)
                        {
                            throw new ValidationException(keyPath, $"{keyPath} must be a string of at most {MaxDescriptionLength} characters.");
                        }

                        break;
                }
            }
        }

        return hints;
    }

    private static void CheckOneOf(string? value, IReadOnlyList<string> allowed, string path)
    {
        if (value is not null && !allowed.Contains(value))
        {
            throw new ValidationException(path, $"{path} must be one of: {string.Join(", ", allowed)}.");
        }
    }

    public static bool IsValidFieldId(string? fieldId) => fieldId is { Length: > 0 and <= 64 } && FieldIdPattern().IsMatch(fieldId);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldIdPattern();
}
