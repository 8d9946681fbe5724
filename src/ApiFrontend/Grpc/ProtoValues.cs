using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// Conversions between proto well-known types and the JSON the grains and request readers work in. Free-form JSON
/// travels as <c>google.protobuf.Struct</c>/<c>Value</c> through the protobuf JSON mapping, so a gRPC payload and an
/// HTTP payload are the same document (numbers are IEEE doubles in a Struct, as in JavaScript).
/// </summary>
public static class ProtoValues
{
    public static JsonNode? ToJson(IMessage? message) =>
        message is null ? null : JsonNode.Parse(JsonFormatter.Default.Format(message));

    public static Struct? ToStruct(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? Struct.Parser.ParseJson(element.GetRawText()) : null;

    public static Value ToValue(JsonNode? node) => Value.Parser.ParseJson(node?.ToJsonString() ?? "null");

    public static Timestamp? ToTimestamp(DateTimeOffset? value) => value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    /// <summary>A request timestamp in the HTTP API's text form, for the shared readers.</summary>
    public static string FormatTimestamp(Timestamp value)
    {
        try
        {
            return Timestamps.Format(value.ToDateTimeOffset());
        }
        catch (InvalidOperationException)
        {
            throw new ValidationException(null, "A timestamp is outside the range 0001-01-01 to 9999-12-31.");
        }
    }

    /// <summary>A proto enum as the API's wire string: <c>INDEX_STATUS_PENDING_UPLOAD</c> → <c>PENDING_UPLOAD</c>; unspecified → null.</summary>
    public static string? Wire<T>(T value)
        where T : struct, System.Enum
    {
        if (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        // An undefined number is passed on as text: the shared reader refuses it with the member's own message.
        var name = System.Enum.GetName(value);
        if (name is null)
        {
            return value.ToString();
        }

        var wire = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsAsciiLetterUpper(name[i]))
            {
                wire.Append('_');
            }

            wire.Append(char.ToUpperInvariant(name[i]));
        }

        return wire.ToString();
    }

    /// <summary>The API's wire string as a proto enum; unknown or absent → unspecified (0).</summary>
    public static T Enum<T>(string? wire)
        where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(wire))
        {
            return default;
        }

        var pascal = string.Concat(wire.Split('_').Select(part => part.Length == 0 ? "" : part[0] + part[1..].ToLowerInvariant()));
        return System.Enum.TryParse<T>(pascal, ignoreCase: false, out var value) ? value : default;
    }
}
