using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// Authoring rules of a 0.40 composite lookup (<c>fieldNames</c>, API-DELTA §4, SDK CHANGELOG 0.38): 2–3
/// declared scalar, non-sensitive fields, no repeats; never <c>unique</c> (tuple uniqueness is not enforced) nor
/// <c>rangeEnabled</c> (it is an exact-match index); and the schema serves records only, so
/// <c>allowedSurfaces</c> must be exactly <c>["record"]</c>. Failures name the path, e.g.
/// <c>lookupFields[2].fieldNames[1]</c>.
/// </summary>
internal static class CompositeLookupRules
{
    public const int MinFields = 2;
    public const int MaxFields = 3;

    /// <summary>The composite as given, checked; <c>unique</c>/<c>rangeEnabled</c> written out as false.</summary>
    public static LookupDefinition Check(LookupDefinition lookup, string path, IReadOnlyList<FieldDefinition> fields, IReadOnlyList<string> surfaces)
    {
        var names = lookup.FieldNames!;
        if (lookup.FieldName is not null)
        {
            throw new ValidationException($"{path}.fieldNames", $"{path} gives both fieldName and fieldNames; give exactly one.");
        }

        if (names.Count is < MinFields or > MaxFields)
        {
            throw new ValidationException($"{path}.fieldNames",
                $"{path}.fieldNames must list {MinFields} to {MaxFields} fields (a lookup over one field uses fieldName).");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < names.Count; j++)
        {
            var itemPath = $"{path}.fieldNames[{j}]";
            var name = names[j];
            if (string.IsNullOrEmpty(name))
            {
                throw new ValidationException(itemPath, $"{itemPath} must be a field id.");
            }

            if (!seen.Add(name))
            {
                throw new ValidationException(itemPath, $"{itemPath} repeats '{name}'.");
            }

            var field = fields.FirstOrDefault(f => string.Equals(f.FieldId, name, StringComparison.Ordinal))
                ?? throw new ValidationException(itemPath, $"{itemPath} '{name}' is not a declared field of this schema.");
            if (!IsScalar(field))
            {
                throw new ValidationException(itemPath,
                    $"{itemPath} '{name}' is a {field.FieldType}{(field.FieldType == "reference" ? " with cardinality many" : "")} field; a composite lookup needs single scalar values.");
            }

            // A composite's parts are stored as plaintext index keys so that a leading run can be matched; a
            // sensitive value may only ever be indexed through its blind index.
            if (field.Sensitive == true)
            {
                throw new ValidationException(itemPath, $"{itemPath} '{name}' is sensitive; a composite lookup cannot include a sensitive field.");
            }
        }

        if (lookup.Unique == true)
        {
            throw new ValidationException($"{path}.unique", $"{path}.unique cannot be set on a lookup over several fields (tuple uniqueness is not enforced).");
        }

        if (lookup.RangeEnabled == true)
        {
            throw new ValidationException($"{path}.rangeEnabled",
                $"{path}.rangeEnabled cannot be set on a lookup over several fields: it is an exact-match index; declare the range lookup separately.");
        }

        if (surfaces.Count != 1 || surfaces[0] != "record")
        {
            throw new ValidationException("allowedSurfaces",
                $"{path} is a lookup over several fields, which is available on records only: allowedSurfaces must be exactly [\"record\"].");
        }

        return lookup with { Unique = false, RangeEnabled = false };
    }

    /// <summary>
    /// Whether <paramref name="lookup"/> re-declares, in another order, the fields of a composite in
    /// <paramref name="before"/>: a separate index that covers the writes made after it is declared (SDK CHANGELOG
    /// 0.38), so it may be added while records exist.
    /// </summary>
    public static bool IsReorderOf(LookupDefinition lookup, SchemaDefinition before) =>
        lookup.IsComposite && before.LookupFields.Any(old => old.IsComposite && old.Fields.Count == lookup.Fields.Count
            && !string.Equals(old.Key, lookup.Key, StringComparison.Ordinal)
            && old.Fields.All(f => lookup.Fields.Contains(f, StringComparer.Ordinal)));

    private static bool IsScalar(FieldDefinition field) =>
        field.FieldType is "string" or "number" or "date" or "enum" or "boolean"
        || (field.FieldType == "reference" && field.Cardinality == "one");
}
