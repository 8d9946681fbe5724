using System.Globalization;
using System.Text.Json.Nodes;

namespace Vectros.Contract.Tests.Spec;

/// <summary>Resolves document-local references (<c>#/a/b/0</c>, RFC 6901 with URI-fragment escaping).</summary>
public static class JsonPointer
{
    /// <summary>The node <paramref name="reference"/> points at inside <paramref name="document"/>, or null.</summary>
    public static JsonNode? Resolve(JsonNode document, string reference)
    {
        // The spec is one self-contained file; a reference to another document is not something we can follow.
        if (!reference.StartsWith('#'))
        {
            return null;
        }

        var pointer = Uri.UnescapeDataString(reference[1..]);
        if (pointer.Length == 0)
        {
            return document;
        }

        if (!pointer.StartsWith('/'))
        {
            return null;
        }

        JsonNode? current = document;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            current = current switch
            {
                JsonObject obj => obj.TryGetPropertyValue(token, out var child) ? child : null,
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count => array[index],
                _ => null,
            };
            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
