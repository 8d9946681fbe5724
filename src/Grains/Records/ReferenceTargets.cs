using System.Text.Json.Nodes;
using Orleans;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>
/// Works out, for each reference field of a payload, what must exist for the write to be valid. The match
/// itself runs inside the write batch (<see cref="RecordWriteBatch.InsertReferences"/>). Only the record surface
/// exists so far; a reference to a document, user, org or client is refused with a clear 400.
/// </summary>
internal static class ReferenceTargets
{
    public static async Task<IReadOnlyList<ReferenceTarget>> BuildAsync(
        IGrainFactory grains, string tenantId, string contextId, SchemaView schema, JsonObject plaintext, TenantKeyring keyring)
    {
        List<ReferenceTarget>? targets = null;
        foreach (var field in schema.Definition.Fields)
        {
            if (field.FieldType != "reference")
            {
                continue;
            }

            // Also the empty case: a write always replaces the record's reference rows, so keep none for this field.
            var values = Values(PayloadPath.Get(plaintext, PayloadPath.Split(field.FieldId)));
            if (values.Count == 0)
            {
                continue;
            }

            var path = PayloadPath.Display(field.FieldId);
            var surface = field.TargetSurface ?? "record";
            if (surface != "record")
            {
                throw new ValidationException(path,
                    $"{path} references the '{surface}' surface, which is not supported yet: only references to records can be resolved.");
            }

            var targetType = field.TargetTypeName
                ?? throw new ValidationException(path, $"{path} is a reference field without a targetTypeName.");
            var targetField = field.TargetField ?? "externalId";
            (targets ??= []).Add(await TargetAsync(grains, tenantId, contextId, keyring, field.FieldId, path, targetType, targetField, values));
        }

        return targets ?? (IReadOnlyList<ReferenceTarget>)[];
    }

    private static async Task<ReferenceTarget> TargetAsync(
        IGrainFactory grains, string tenantId, string contextId, TenantKeyring keyring,
        string fieldId, string path, string targetType, string targetField, IReadOnlyList<string> values)
    {
        if (targetField == "externalId")
        {
            return new ReferenceTarget(fieldId, targetType, ReferenceMatch.ExternalId, null, values);
        }

        var target = SchemaTypeNames.IsValid(targetType)
            ? await grains.GetGrain<ISchemaGrain>($"{tenantId}#{contextId}#{targetType}").GetAsync()
            : null;
        if (target is null)
        {
            throw new ValidationException(path, $"{path} references type '{targetType}', which has no schema in this context.");
        }

        if (target.Lookup(targetField) is { Unique: true })
        {
            var definition = target.Field(targetField);
            var sensitive = definition?.Sensitive == true;
            var keys = sensitive ? await keyring.GetAsync(tenantId) : null;
            var stored = new List<string>(values.Count);
            foreach (var value in values)
            {
                string canonical;
                try
                {
                    canonical = LookupKeys.ForQuery(definition, targetField, value);
                }
                catch (ValidationException)
                {
                    throw new ValidationException(path, $"{path} references a {targetType} record that does not exist in this context.");
                }

                stored.Add(LookupKeys.StoredKey(canonical, sensitive, keys, targetType, targetField));
            }

            return new ReferenceTarget(fieldId, targetType, ReferenceMatch.UniqueLookup, targetField, stored.Distinct(StringComparer.Ordinal).ToList());
        }

        if (targetField == "id")
        {
            var ids = new List<string>(values.Count);
            foreach (var value in values)
            {
                ids.Add(Guid.TryParse(value, out var id)
                    ? id.ToString()
                    : throw new ValidationException(path, $"{path} references a {targetType} record that does not exist in this context."));
            }

            return new ReferenceTarget(fieldId, targetType, ReferenceMatch.Id, null, ids.Distinct(StringComparer.Ordinal).ToList());
        }

        throw new ValidationException(path,
            $"{path} resolves by '{targetField}', which is not a unique lookup field of type '{targetType}' (use externalId, id or a unique lookup field).");
    }

    private static List<string> Values(JsonNode? node)
    {
        var list = new List<string>();
        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new[] { node };
        foreach (var item in items)
        {
            if (item is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 && !list.Contains(s, StringComparer.Ordinal))
            {
                list.Add(s);
            }
        }

        return list;
    }
}
