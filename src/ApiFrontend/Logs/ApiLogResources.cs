namespace Vectros.ApiFrontend.Logs;

/// <summary>
/// The spec's <c>LogEntry.resource</c> (L5590), derived from the route template: the top-level resource a call
/// targeted. Admin, profile, role and token routes are <c>auth</c> (their spec tag); 0.40 adds <c>entities</c>,
/// <c>namespaces</c> and <c>issuers</c> (API-DELTA §12). The 0.31 <c>clients</c> and <c>orgs</c> stay: their routes
/// are still served (DESIGN §5a), so their calls are logged and filterable under those names.
/// </summary>
public static class ApiLogResources
{
    /// <summary>What <c>?resource=</c> accepts.</summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "documents", "records", "search", "schemas", "folders", "clients", "orgs", "users", "usage", "auth", "models",
        "ping", "rag", "chat", "ask", "erasure-requests", "export", "entities", "namespaces", "issuers",
    };

    /// <summary>Resource of a route template such as <c>/v1/documents/{id}/ask</c>; <c>other</c> when it names none.</summary>
    public static string For(string route)
    {
        if (route.StartsWith("/" + Grpc.GrpcCalls.Package + ".", StringComparison.Ordinal))
        {
            return ForGrpc(route);
        }

        var segments = route.Trim('/').Split('/');
        if (segments.Length < 2)
        {
            return "other";
        }

        var first = segments[1].ToLowerInvariant();
        var second = segments.Length > 2 ? segments[2].ToLowerInvariant() : "";
        return first switch
        {
            "admin" => second == "export" ? "export" : "auth",
            "auth" => second == "issuers" ? "issuers" : "auth",
            "app-contexts" or "principals" => "auth",
            "documents" when segments[^1].Equals("ask", StringComparison.OrdinalIgnoreCase) => "ask",
            _ when Known.Contains(first) => first,
            _ => "other",
        };
    }

    /// <summary>A gRPC route <c>/vectros.v1.Service/Method</c>: the service names the resource, as the HTTP path does.</summary>
    private static string ForGrpc(string route)
    {
        var slash = route.IndexOf('/', 1);
        var service = slash < 0 ? "" : route[(Grpc.GrpcCalls.Package.Length + 2)..slash];
        var method = slash < 0 ? "" : route[(slash + 1)..];
        return service switch
        {
            "Inference" => method.ToLowerInvariant() is "rag" or "chat" or "ask" ? method.ToLowerInvariant() : "other",
            "AppContexts" => "auth",
            _ when Known.Contains(service.ToLowerInvariant()) => service.ToLowerInvariant(),
            _ => "other",
        };
    }
}
