using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>
/// Builds a record's lookup rows from its plaintext payload: one row per declared lookup field and scalar
/// value (each element of an array field), and a composite's rows (<see cref="CompositeLookup"/>); each row
/// carries its lookup's sort key (<see cref="LookupSort"/>). The automatic ownership lookups (userId, orgId,
/// clientId, externalId) query the record's own columns and get no rows here.
/// </summary>
public static class LookupRowBuilder
{
    /// <summary>
    /// The automatic ownership lookups, answered from the records table's own columns (schemas cannot declare them).
    /// <c>externalId</c> is automatic too unless a schema declares a payload lookup of that name.
    /// </summary>
    public static readonly IReadOnlySet<string> Ownership = new HashSet<string>(StringComparer.Ordinal) { "userId", "orgId", "clientId" };

    public static IReadOnlyList<LookupRow> Build(SchemaView schema, JsonObject plaintext, TenantKeys? keys)
    {
        var lookups = schema.Definition.LookupFields;
        if (lookups.Count == 0)
        {
            return [];
        }

        var rows = new List<LookupRow>();
        foreach (var lookup in lookups)
        {
            if (lookup.IsComposite)
            {
                rows.AddRange(CompositeLookup.Rows(lookup, plaintext, LookupSort.KeyOf(schema, lookup, plaintext)));
                continue;
            }

            if (lookup.FieldName is null || Ownership.Contains(lookup.FieldName))
            {
                continue;
            }

            var sort = LookupSort.KeyOf(schema, lookup, plaintext);

            var field = schema.Field(lookup.FieldName);
            var sensitive = field?.Sensitive == true;
            var unique = lookup.Unique == true;
            var range = lookup.RangeEnabled == true && !sensitive;
            var node = PayloadPath.Get(plaintext, PayloadPath.Split(lookup.FieldName));
            var seen = new HashSet<string>(StringComparer.Ordinal);
            IEnumerable<JsonNode?> items = node is JsonArray array ? array : new[] { node };
            foreach (var item in items)
            {
                var canonical = LookupKeys.Canonical(item);
                if (canonical is null)
                {
                    continue;
                }

                var key = LookupKeys.StoredKey(canonical, sensitive, keys, schema.TypeName, lookup.FieldName);
                if (!seen.Add(key))
                {
                    continue;
                }

                decimal? num = null;
                string? text = null;
                if (range)
                {
                    if (item!.GetValueKind() == JsonValueKind.Number)
                    {
                        num = LookupKeys.ParseDecimal(item.ToJsonString());
                    }
                    else if (item.GetValueKind() == JsonValueKind.String && canonical.Length <= RecordLimits.MaxIndexedValueLength)
                    {
                        text = canonical;
                    }
                }

                rows.Add(new LookupRow(lookup.FieldName, key, num, text, unique) { Sort = sort });
            }
        }

        return rows;
    }
}
