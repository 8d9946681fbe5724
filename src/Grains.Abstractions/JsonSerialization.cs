using System.Text.Json;
using System.Text.Json.Nodes;
using Orleans.Serialization;

namespace Vectros.Grains.Abstractions;

/// <summary>
/// Grain messages carry JSON (record payloads, schema rules, version diffs) as <see cref="JsonElement"/> and
/// <see cref="JsonNode"/>s. Orleans has no codec of its own for them; its System.Text.Json integration serializes
/// exactly these types (and copies them by value), so silos and clients register it through this one method.
/// </summary>
public static class JsonSerialization
{
    public static ISerializerBuilder AddVectrosJsonTypes(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(isSupported: static type => type == typeof(JsonElement) || type.IsAssignableTo(typeof(JsonNode)));
}
