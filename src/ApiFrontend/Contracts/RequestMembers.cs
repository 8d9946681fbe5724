using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Typed reads of one member of a request body read as a <see cref="JsonObject"/> (where a null must be told from an
/// absent member). Every failure is a 400 naming the member; no message quotes the value.
/// </summary>
public static class RequestMembers
{
    public static string String(string name, JsonNode value, int maxLength)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
        {
            throw new ValidationException(name, $"{name} must be a string.");
        }

        var text = v.GetValue<string>();
        return text.Length is > 0 && text.Length <= maxLength
            ? text
            : throw new ValidationException(name, $"{name} must be 1-{maxLength} characters.");
    }

    /// <summary>A string of any length (an empty one too): the caller checks what the content must be.</summary>
    public static string AnyString(string name, JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new ValidationException(name, $"{name} must be a string.");

    public static Guid Uuid(string name, JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out var id)
            ? id
            : throw new ValidationException(name, $"{name} must be a UUID string.");

    public static string OneOf(string name, JsonNode value, IReadOnlyList<string> allowed) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String && allowed.Contains(v.GetValue<string>(), StringComparer.Ordinal)
            ? v.GetValue<string>()
            : throw new ValidationException(name, $"{name} must be one of: {string.Join(", ", allowed)}.");

    public static long Integer(string name, JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.Number
        && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ValidationException(name, $"{name} must be an integer.");

    public static bool Boolean(string name, JsonNode value) =>
        value is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? v.GetValue<bool>()
            : throw new ValidationException(name, $"{name} must be true or false.");

    public static JsonObject Object(string name, JsonNode value) =>
        value as JsonObject ?? throw new ValidationException(name, $"{name} must be a JSON object.");

    /// <summary>An ISO-8601 date-time with an offset (UTC is what clients send).</summary>
    public static DateTimeOffset Timestamp(string name, JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String
        && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new ValidationException(name, $"{name} must be an ISO-8601 date-time, e.g. 2026-12-31T00:00:00Z.");

    public static ValidationException Unknown(string name) => new(name, $"Unknown field '{name}'.");
}
