using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Records;

namespace Vectros.Grains.Indexing;

/// <summary>
/// What of a source's payload the search index may hold. Everything starts from <see cref="Visible"/>, the payload
/// with sensitive members and ciphertext markers removed, so a sensitive value cannot reach chunk text, vectors,
/// filters or metadata whatever else the schema says about the field.
/// </summary>
internal static class IndexedPayload
{
    /// <summary>API-DELTA §3 "Ingest filters": an undeclared document payload scalar becomes a filter value up to this size.</summary>
    public const int MaxUndeclaredFilterBytes = 256;

    /// <summary>The stored payload minus sensitive fields (by the schema) and any ciphertext marker (whatever the schema says today).</summary>
    public static JsonObject Visible(string storedPayload, SchemaView? schema)
    {
        var payload = JsonNode.Parse(storedPayload) as JsonObject ?? [];
        SensitiveFields.Of(schema).Strip(payload);
        SensitiveFields.StripMarkers(payload);
        return payload;
    }

    /// <summary>The values of the schema's searchable fields, one paragraph per field, in declaration order.</summary>
    public static string SearchableText(SchemaView? schema, JsonObject visible)
    {
        var text = new StringBuilder();
        foreach (var field in Fields(schema).Where(f => f.Searchable == true))
        {
            var before = text.Length;
            AppendText(text, PayloadPath.Get(visible, PayloadPath.Split(field.FieldId)));
            if (text.Length > before)
            {
                text.Append("\n\n");
            }
        }

        return text.ToString().Trim();
    }

    /// <summary>
    /// Flat filter values: <c>{"fieldId": scalar | [scalars]}</c> for filterable fields and, with
    /// <paramref name="undeclaredScalars"/> (documents), top-level payload scalars the schema does not declare.
    /// </summary>
    public static JsonObject Filter(SchemaView? schema, JsonObject visible, bool undeclaredScalars)
    {
        var filter = new JsonObject();
        foreach (var field in Fields(schema).Where(f => f.Filterable == true))
        {
            if (FilterValue(PayloadPath.Get(visible, PayloadPath.Split(field.FieldId))) is { } value)
            {
                filter[field.FieldId] = value;
            }
        }

        if (undeclaredScalars)
        {
            var declared = (schema?.Definition.Fields ?? []).Select(f => PayloadPath.Split(f.FieldId)[0]).ToHashSet(StringComparer.Ordinal);
            foreach (var (name, node) in visible)
            {
                if (!declared.Contains(name) && node is JsonValue value && IsScalar(value) && Bytes(value) <= MaxUndeclaredFilterBytes)
                {
                    filter[name] = value.DeepClone();
                }
            }
        }

        return filter;
    }

    /// <summary>Fields that may be indexed at all: sensitive ones never are, even when also marked searchable or filterable.</summary>
    private static IEnumerable<FieldDefinition> Fields(SchemaView? schema) =>
        (schema?.Definition.Fields ?? []).Where(f => f.Sensitive != true);

    private static JsonNode? FilterValue(JsonNode? node) => node switch
    {
        JsonValue value when IsScalar(value) => value.DeepClone(),
        JsonArray array when array.OfType<JsonValue>().Where(IsScalar).ToList() is { Count: > 0 } scalars =>
            new JsonArray(scalars.Select(s => s.DeepClone()).ToArray()),
        _ => null,
    };

    private static bool IsScalar(JsonValue value) =>
        value.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static int Bytes(JsonValue value) =>
        value.GetValueKind() == JsonValueKind.String ? Encoding.UTF8.GetByteCount(value.GetValue<string>()) : value.ToJsonString().Length;

    /// <summary>Strings as they are, numbers and booleans as JSON writes them, arrays one item a line, objects leaf by leaf.</summary>
    private static void AppendText(StringBuilder text, JsonNode? node)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                AppendLine(text, value.GetValue<string>());
                break;
            case JsonValue value when IsScalar(value):
                AppendLine(text, value.ToJsonString());
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AppendText(text, item);
                }

                break;
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    AppendText(text, child);
                }

                break;
        }
    }

    private static void AppendLine(StringBuilder text, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }

        text.Append(value.Trim());
    }
}
