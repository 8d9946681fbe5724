using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// Which edits of an existing schema are refused (400 <c>SCHEMA_CHANGE_LOCKED</c>), for upsert and PUT alike.
/// <para>
/// Always locked, because stored index rows or stored ciphertext were built for the old shape (spec L4203,
/// L8940, L8945): a lookup's <c>unique</c>, <c>rangeEnabled</c> or <c>sortBy</c>; the type of a field that has a
/// lookup; a field's <c>sensitive</c> flag (values are encrypted and blind-indexed, or not, as written).
/// </para>
/// <para>
/// Locked while records of the type exist, because live records would no longer satisfy or mean the same as the
/// schema (issue #3 §1 "a change that would break live data"): a field's type, reference cardinality or
/// target; a new required field, or making an existing field required; a new lookup (existing records would be
/// missing from its index, so lookups would silently miss them; a backfill could lift this later). The one
/// exception is a composite that re-declares another composite's fields in a new order: 0.40 defines that as a
/// separate index covering the writes made after it is declared (<see cref="CompositeLookupRules.IsReorderOf"/>).
/// </para>
/// <para>
/// Allowed: adding optional fields, removing fields, removing a lookup (its index rows are deleted in the same
/// transaction), relaxing a field to not required, changing validation rules, names, hints, capabilities,
/// surfaces, indexMode, storageProfile and active. Records are validated against the current rules on their
/// next write.
/// </para>
/// </summary>
public static class SchemaChangeRules
{
    public const string LockedCode = "SCHEMA_CHANGE_LOCKED";

    /// <summary>Throws on the first locked change from <paramref name="before"/> to <paramref name="after"/> (both validated).</summary>
    public static void Check(SchemaDefinition before, SchemaDefinition after, bool hasRecords)
    {
        for (var i = 0; i < after.LookupFields.Count; i++)
        {
            var lookup = after.LookupFields[i];
            var path = $"lookupFields[{i}]";
            var old = before.LookupFields.FirstOrDefault(l => string.Equals(l.Key, lookup.Key, StringComparison.Ordinal));
            if (old is null)
            {
                if (hasRecords && !CompositeLookupRules.IsReorderOf(lookup, before))
                {
                    throw Locked($"{path}.{(lookup.IsComposite ? "fieldNames" : "fieldName")}", $"Lookup '{lookup.Key}' cannot be added while records of this type exist: the existing records would be missing from its index.");
                }

                continue;
            }

            if (old.Unique != lookup.Unique)
            {
                throw Locked($"{path}.unique", $"Lookup '{lookup.Key}': unique is locked once the lookup exists (remove the lookup and add it again on a type without records).");
            }

            if (old.RangeEnabled != lookup.RangeEnabled)
            {
                throw Locked($"{path}.rangeEnabled", $"Lookup '{lookup.Key}': rangeEnabled is locked once the lookup exists.");
            }

            if (!string.Equals(old.SortBy, lookup.SortBy, StringComparison.Ordinal))
            {
                throw Locked($"{path}.sortBy", $"Lookup '{lookup.Key}': sortBy is locked once the lookup exists.");
            }
        }

        for (var i = 0; i < after.Fields.Count; i++)
        {
            var field = after.Fields[i];
            var path = $"fields[{i}]";
            var old = before.Fields.FirstOrDefault(f => string.Equals(f.FieldId, field.FieldId, StringComparison.Ordinal));
            if (old is null)
            {
                if (hasRecords && field.Required == true)
                {
                    throw Locked($"{path}.required", $"Field '{field.FieldId}' cannot be added as required while records of this type exist; add it as optional.");
                }

                continue;
            }

            if ((old.Sensitive == true) != (field.Sensitive == true))
            {
                throw Locked($"{path}.sensitive", $"Field '{field.FieldId}': sensitive is locked once the field exists (stored values are encrypted and indexed as they were written).");
            }

            var typeChanged = !string.Equals(old.FieldType, field.FieldType, StringComparison.Ordinal);
            if (typeChanged && (before.LookupFields.Any(l => l.Fields.Contains(field.FieldId)) || after.LookupFields.Any(l => l.Fields.Contains(field.FieldId))))
            {
                throw Locked($"{path}.fieldType", $"Field '{field.FieldId}' has a lookup, so its type is locked.");
            }

            if (!hasRecords)
            {
                continue;
            }

            if (typeChanged)
            {
                throw Locked($"{path}.fieldType", $"Field '{field.FieldId}': its type cannot change while records of this type exist.");
            }

            if (old.Cardinality != field.Cardinality || old.TargetTypeName != field.TargetTypeName
                || old.TargetSurface != field.TargetSurface || old.TargetField != field.TargetField)
            {
                throw Locked($"{path}.cardinality", $"Field '{field.FieldId}': a reference's cardinality and target cannot change while records of this type exist.");
            }

            if (old.Required != true && field.Required == true)
            {
                throw Locked($"{path}.required", $"Field '{field.FieldId}' cannot become required while records of this type exist.");
            }
        }
    }

    /// <summary>Lookups that <paramref name="after"/> no longer has: their index rows go in the same transaction.</summary>
    public static IReadOnlyList<string> RemovedLookups(SchemaDefinition before, SchemaDefinition after) =>
        [.. before.LookupFields.Select(l => l.Key).Where(key => !after.LookupFields.Any(l => l.Key == key))];

    /// <summary>Whether checking the change needs to know if records exist (saves a query on cosmetic edits).</summary>
    public static bool NeedsRecordCheck(SchemaDefinition before, SchemaDefinition after) =>
        after.LookupFields.Any(l => !before.LookupFields.Any(o => o.Key == l.Key))
        || after.Fields.Any(f => before.Fields.FirstOrDefault(o => o.FieldId == f.FieldId) is not { } o
            ? f.Required == true
            : o.FieldType != f.FieldType || o.Cardinality != f.Cardinality || o.TargetTypeName != f.TargetTypeName
              || o.TargetSurface != f.TargetSurface || o.TargetField != f.TargetField || (o.Required != true && f.Required == true));

    private static ValidationException Locked(string field, string message) => new(field, message, LockedCode);
}
