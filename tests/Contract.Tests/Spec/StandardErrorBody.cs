using System.Text.Json.Nodes;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// Our error body, <c>{"errorCode","message","requestId"}</c> plus an optional <c>details</c> (DESIGN.md §5 and
/// §5a). The spec declares no error schema at all (API-DIGEST §1.6), so this is the contract where it is silent.
/// </summary>
public static class StandardErrorBody
{
    /// <summary>The body as a schema; strict about extra members so the shape cannot drift unnoticed.</summary>
    // Built node by node rather than with JsonNode.Parse: a parsed JsonObject fills its dictionary lazily on first
    // read, which is not safe while test classes share it in parallel.
    public static JsonObject Schema { get; } = new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray("errorCode", "message", "requestId"),
        ["properties"] = new JsonObject
        {
            ["errorCode"] = new JsonObject { ["type"] = "string" },
            ["message"] = new JsonObject { ["type"] = "string" },
            ["requestId"] = new JsonObject { ["type"] = "string" },
            ["details"] = new JsonObject(),
        },
        ["additionalProperties"] = false,
    };
}
