using System.Text.Json.Nodes;

namespace Vectros.Contract.Tests.Spec;

/// <summary>One declared response of an operation.</summary>
/// <param name="Status">The spec's status key ("200", "204", ...).</param>
/// <param name="Description">The response's description, for failure messages.</param>
/// <param name="MediaType">The declared media type whose schema is used, or null when the response declares no content.</param>
/// <param name="Schema">That media type's schema as written (often just a <c>$ref</c>), or null.</param>
public sealed record OpenApiResponse(string Status, string? Description, string? MediaType, JsonNode? Schema)
{
    private const string ComponentPrefix = "#/components/schemas/";

    /// <summary>True when the spec declares a body for this response.</summary>
    public bool HasContent => MediaType is not null;

    /// <summary>True for Server-Sent Events, whose schema describes each event's <c>data</c> payload.</summary>
    public bool IsEventStream => string.Equals(MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    /// <summary>The component name when the schema is a plain <c>$ref</c> to one (e.g. "PingResponse"), else null.</summary>
    public string? SchemaName =>
        Schema is JsonObject obj
        && obj["$ref"] is JsonValue reference
        && reference.TryGetValue<string>(out var text)
        && text.StartsWith(ComponentPrefix, StringComparison.Ordinal)
            ? text[ComponentPrefix.Length..]
            : null;
}
