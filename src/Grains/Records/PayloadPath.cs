using System.Text.Json.Nodes;

namespace Vectros.Grains.Records;

/// <summary>
/// Dotted field paths into a payload (<c>address.zip</c>): a schema field id may name a nested member of an
/// object. Paths never step into arrays.
/// </summary>
internal static class PayloadPath
{
    public static string[] Split(string fieldId) => fieldId.Split('.');

    /// <summary>The node at <paramref name="segments"/>, or null when a segment is missing or a parent is not an object.</summary>
    public static JsonNode? Get(JsonObject payload, string[] segments)
    {
        JsonNode? node = payload;
        foreach (var segment in segments)
        {
            if (node is not JsonObject obj || !obj.TryGetPropertyValue(segment, out node))
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>The object that holds the last segment, when every parent exists and is an object.</summary>
    public static JsonObject? Parent(JsonObject payload, string[] segments)
    {
        var obj = payload;
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (!obj.TryGetPropertyValue(segments[i], out var next) || next is not JsonObject child)
            {
                return null;
            }

            obj = child;
        }

        return obj;
    }

    /// <summary>"payload.a.b" for messages and <c>details.field</c>.</summary>
    public static string Display(string fieldId) => "payload." + fieldId;
}
