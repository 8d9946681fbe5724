using System.Net;
using System.Text.Json.Nodes;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The server describes itself (issue #7 item 8): <c>/openapi/v1.json</c> is generated from the endpoints and
/// lists each under its spec operationId with its responses; <c>/docs</c> renders it.
/// </summary>
public sealed class OpenApiDocumentTests : ApiTestBase
{
    [Fact]
    public async Task Document_is_served_as_json_without_a_credential()
    {
        using var anonymous = Server.CreateClient();
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Vectros API", document["info"]!["title"]!.GetValue<string>());
        Assert.Equal("0.31.0", document["info"]!["version"]!.GetValue<string>());

        var bearer = document["components"]!["securitySchemes"]!["BearerAuth"]!;
        Assert.Equal("http", bearer["type"]!.GetValue<string>());
        Assert.Equal("bearer", bearer["scheme"]!.GetValue<string>());
        foreach (var prefix in new[] { "sk_", "ssk_", "st_" })
        {
            Assert.Contains(prefix, bearer["description"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // Servers are left to the request: the document names the address it was fetched from.
        var server = Assert.Single(document["servers"]!.AsArray())!;
        Assert.Equal(Server.BaseAddress.ToString().TrimEnd('/'), server["url"]!.GetValue<string>().TrimEnd('/'));
    }

    [Fact]
    public async Task Every_named_route_is_documented_under_its_name()
    {
        var document = await ServedOperations.DocumentAsync(Server);
        var served = ServedOperations.Of(Server);
        Assert.Contains(served, o => o.Name == "ping");
        Assert.Contains(served, o => o.Name == "createRecord" && o.Path == "/v1/records");

        var missing = served
            .Where(o => ServedOperations.Operation(document, o.Method, o.Path)?["operationId"]?.GetValue<string>() != o.Name)
            .ToList();
        Assert.True(missing.Count == 0, "Not in /openapi/v1.json under their name: " + string.Join(", ", missing));

        // And nothing is documented that the server does not serve under that name.
        var documented = ServedOperations.Operations(document)
            .Select(o => new ServedOperation(o.Operation["operationId"]?.GetValue<string>() ?? "", o.Method, o.Path));
        Assert.Empty(documented.Except(served));
    }

    [Fact]
    public async Task Every_operation_documents_a_success_and_its_errors()
    {
        var document = await ServedOperations.DocumentAsync(Server);
        var problems = new List<string>();
        foreach (var (method, path, operation) in ServedOperations.Operations(document))
        {
            var id = $"{operation["operationId"]} ({method} {path})";
            var responses = operation["responses"]!.AsObject();

            // The token exchange (RFC 8693) takes no credential and answers OAuth errors (API-DELTA §1 "OAuth errors").
            if (path == "/v1/auth/token/exchange")
            {
                problems.AddRange(responses
                    .Where(r => r.Key[0] is '4' && r.Value?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/OAuthError")
                    .Select(r => $"{id}: {r.Key} is not an OAuthError"));
                if (operation["security"] is JsonArray { Count: > 0 })
                {
                    problems.Add($"{id}: must not require a credential");
                }

                continue;
            }

            // Reserved operations (spec: "not yet implemented") answer 501 and nothing else.
            if (!responses.ContainsKey("501"))
            {
                var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
                if (successes.Count == 0)
                {
                    problems.Add($"{id}: no 2xx response");
                }

                // 202 and 204 carry no body; every other success says what it returns (JSON, or the events of an SSE stream).
                problems.AddRange(successes
                    .Where(r => r.Key is not ("202" or "204") && r.Value?["content"]?["application/json"]?["schema"] is null
                        && r.Value?["content"]?["text/event-stream"]?["schema"] is null)
                    .Select(r => $"{id}: {r.Key} has no JSON schema"));
            }

            // Every error is the standard body (DESIGN §5).
            problems.AddRange(responses
                .Where(r => r.Key[0] is '4' or '5'
                    && r.Value?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>() != "#/components/schemas/ApiError")
                .Select(r => $"{id}: {r.Key} is not an ApiError"));

            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                if (!responses.ContainsKey("401"))
                {
                    problems.Add($"{id}: no 401");
                }

                if (method != "GET" && !responses.ContainsKey("429"))
                {
                    problems.Add($"{id}: no 429");
                }

                if (operation["security"]?[0]?["BearerAuth"] is null)
                {
                    problems.Add($"{id}: no BearerAuth requirement");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task Responses_reference_the_types_the_handlers_return()
    {
        var document = await ServedOperations.DocumentAsync(Server);
        string Ref(string method, string path, string status) =>
            ServedOperations.Operation(document, method, path)!["responses"]![status]!["content"]!["application/json"]!["schema"]!["$ref"]!
                .GetValue<string>();

        Assert.Equal("#/components/schemas/PingResponse", Ref("GET", "/v1/ping", "200"));
        Assert.Equal("#/components/schemas/RecordResponse", Ref("POST", "/v1/records", "201"));
        Assert.Equal("#/components/schemas/RecordResponse", Ref("POST", "/v1/records", "200"));
        Assert.Equal("#/components/schemas/ApiError", Ref("PUT", "/v1/records/{id}", "409"));
        var schemas = document["components"]!["schemas"]!.AsObject();

        // Numbers are written as numbers, never as strings.
        var version = schemas["RecordResponse"]!["properties"]!["version"]!;
        Assert.Equal("integer", version["type"]!.GetValue<string>());
        Assert.Null(version["pattern"]);
        Assert.True(schemas.ContainsKey("ApiError"));
        Assert.True(schemas["ApiError"]!["properties"]!.AsObject().ContainsKey("errorCode"));
    }

    [Fact]
    public async Task Typed_request_bodies_are_described()
    {
        var document = await ServedOperations.DocumentAsync(Server);
        System.Text.Json.Nodes.JsonObject Body(string method, string path) =>
            ServedOperations.Operation(document, method, path)!["requestBody"]!["content"]!["application/json"]!["schema"]!["properties"]!.AsObject();

        Assert.True(Body("POST", "/v1/folders").ContainsKey("scopes"), "0.40 fields are part of the request shapes");
        Assert.True(Body("POST", "/v1/folders").ContainsKey("orgId"), "and so are the 0.31 ones");
        Assert.True(Body("PUT", "/v1/schemas/{id}").ContainsKey("lookupFields"));
        Assert.True(Body("POST", "/v1/namespaces").ContainsKey("specificityRank"));
        Assert.True(Body("POST", "/v1/entities/{namespace}").ContainsKey("externalId"));
        Assert.Null(ServedOperations.Operation(document, "POST", "/v1/folders")!["requestBody"]!["content"]!["application/json"]!["schema"]!["required"]);
    }

    [Fact]
    public async Task Docs_page_is_html_over_the_document_without_a_credential()
    {
        using var anonymous = Server.CreateClient();
        var response = await anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>Vectros API</title>", html, StringComparison.Ordinal);

        // Scalar writes the document's address relative to the application's base path and resolves it in the page.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);

        // The page's own script is served beside it, also without a credential.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(new Uri(response.RequestMessage!.RequestUri!, "scalar.js"))).StatusCode);
    }
}
