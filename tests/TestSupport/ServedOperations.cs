using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Vectros.TestSupport;

/// <summary>One operation the server implements, as its own routing knows it.</summary>
/// <param name="Name">The route's name (<c>.WithName</c>), which is the spec's operationId.</param>
/// <param name="Method">Upper-case HTTP method.</param>
/// <param name="Path">The route template as OpenAPI writes it: no trailing slash, no route constraints.</param>
public sealed record ServedOperation(string Name, string Method, string Path)
{
    public override string ToString() => $"{Name} ({Method} {Path})";
}

/// <summary>What the server serves and how it describes it, for the OpenAPI tests of both test projects.</summary>
public static partial class ServedOperations
{
    /// <summary>
    /// Every named route that is part of the API description, from the server's own endpoint data source: a new
    /// route is covered by the tests the moment it is mapped.
    /// </summary>
    public static IReadOnlyList<ServedOperation> Of(VectrosTestServer server) =>
        [.. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is not null
                && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method => new ServedOperation(
                e.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName,
                method.ToUpperInvariant(),
                OpenApiPath(e.RoutePattern.RawText!))))
            .OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)];

    /// <summary>The server's generated document, fetched anonymously.</summary>
    public static async Task<JsonObject> DocumentAsync(VectrosTestServer server)
    {
        using var client = server.CreateClient();
        return (await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
    }

    /// <summary>The operation object at <c>paths[path][method]</c>, or null.</summary>
    public static JsonObject? Operation(JsonObject document, string method, string path) =>
        document["paths"]?[path]?[method.ToLowerInvariant()] as JsonObject;

    /// <summary>Every operation in the document with its method and path.</summary>
    public static IEnumerable<(string Method, string Path, JsonObject Operation)> Operations(JsonObject document)
    {
        foreach (var (path, item) in document["paths"] as JsonObject ?? [])
        {
            foreach (var (method, operation) in item as JsonObject ?? [])
            {
                if (operation is JsonObject op && op.ContainsKey("responses"))
                {
                    yield return (method.ToUpperInvariant(), path, op);
                }
            }
        }
    }

    /// <summary><c>/v1/records/</c> → <c>/v1/records</c>; <c>{id:guid}</c> → <c>{id}</c>.</summary>
    private static string OpenApiPath(string routeTemplate)
    {
        var path = Constraint().Replace(routeTemplate, "{$1}");
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex Constraint();
}
