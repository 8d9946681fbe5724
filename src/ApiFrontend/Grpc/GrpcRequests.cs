using System.Text.Json.Nodes;
using Google.Protobuf;
using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// What every gRPC service does the same way with a request: the list cursor, and the members of the JSON body the
/// HTTP reader takes (unset members stay absent, as an HTTP client would leave them out).
/// </summary>
public static class GrpcRequests
{
    /// <summary>
    /// The grain cursor inside <paramref name="startFrom"/>, checked against the request without its cursor (the
    /// request's other fields are the query the cursor was issued for, as a GET's query string is over HTTP).
    /// </summary>
    public static string? Cursor<T>(HttpContext http, string? startFrom, T canonical, Action<T> clearCursor)
        where T : IMessage
    {
        clearCursor(canonical);
        return ListCursors.Unwrap(http, startFrom, canonical.ToString());
    }

    public static void Put(JsonObject body, string name, string? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }

    /// <summary>The ownership declaration: sent when it names scopes, or when the request clears them explicitly.</summary>
    public static void PutScopes(JsonObject body, IReadOnlyCollection<string> scopes, bool clear)
    {
        if (scopes.Count > 0 || clear)
        {
            body["scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }
    }

    public static void PutExpectedVersion(JsonObject body, long? expected)
    {
        if (expected is { } version)
        {
            body["expectedVersion"] = version;
        }
    }
}
