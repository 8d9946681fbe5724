using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// How a definition is stored (the <c>schemas.definition</c> jsonb) and snapshotted into history: the wire's
/// camelCase names, nulls omitted, so a stored definition reads like the SchemaRequest that made it.
/// </summary>
internal static class SchemaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(SchemaDefinition definition) => JsonSerializer.Serialize(definition, Options);

    public static SchemaDefinition Deserialize(string json) =>
        JsonSerializer.Deserialize<SchemaDefinition>(json, Options)
        ?? throw new InvalidDataException("A stored schema definition is null.");

    /// <summary>Structural equality of two definitions, the "identical content" test of an upsert or PUT.</summary>
    public static bool Same(SchemaDefinition a, SchemaDefinition b) =>
        JsonNode.DeepEquals(JsonSerializer.SerializeToNode(a, Options), JsonSerializer.SerializeToNode(b, Options));

    /// <summary>
    /// The schema as one flat object (the SchemaResponse shape plus owners): the history snapshot
    /// (<c>previousContent</c>) and the input of the field-level diff. Schemas hold no sensitive values.
    /// </summary>
    public static JsonObject Snapshot(SchemaView view)
    {
        var snapshot = new JsonObject
        {
            ["id"] = view.Id.ToString("D"),
            ["typeName"] = view.TypeName,
        };
        foreach (var (name, value) in JsonSerializer.SerializeToNode(view.Definition, Options)!.AsObject())
        {
            snapshot[name] = value?.DeepClone();
        }

        snapshot["schemaVersion"] = view.SchemaVersion;
        snapshot["createdAt"] = view.CreatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        snapshot["updatedAt"] = view.UpdatedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        return snapshot;
    }
}
