using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// The Vectros OpenAPI document, read with YamlDotNet and held as System.Text.Json nodes so that
/// <see cref="SchemaValidator"/> can walk schemas and instances with one object model.
/// Treat every node it hands out as read-only: they are shared by all tests running in parallel.
/// </summary>
public sealed partial class OpenApiSpec
{
    // Parsing the 450 KB spec takes a noticeable fraction of a second, so a test run does it once.
    private static readonly Lazy<OpenApiSpec> _current = new(() => Load(SpecLocator.Locate()), LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly string[] _methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    private readonly Dictionary<string, OpenApiOperation> _operationsById;
    private readonly JsonObject _schemas;

    private OpenApiSpec(JsonObject document, string source)
    {
        Document = document;
        Source = source;
        AppliedErrata = [.. SpecErratum.All.Where(e => e.TryApply(document))];
        _schemas = document["components"]?["schemas"] as JsonObject ?? [];
        _operationsById = new Dictionary<string, OpenApiOperation>(StringComparer.Ordinal);
        var operations = new List<OpenApiOperation>();
        foreach (var (path, pathItem) in document["paths"] as JsonObject ?? [])
        {
            foreach (var method in _methods)
            {
                if (pathItem?[method] is not JsonObject operation)
                {
                    continue;
                }

                var parsed = ParseOperation(method, path, operation);
                if (!_operationsById.TryAdd(parsed.OperationId, parsed))
                {
                    throw new InvalidDataException($"{source}: operationId '{parsed.OperationId}' is used twice.");
                }

                operations.Add(parsed);
            }
        }

        Operations = operations;
        OperationIds = [.. operations.Select(o => o.OperationId)];
        SchemaNames = [.. _schemas.Select(p => p.Key)];
        Validator = new SchemaValidator(document);
    }

    /// <summary>The spec found by <see cref="SpecLocator"/>, loaded once per test run.</summary>
    public static OpenApiSpec Current => _current.Value;

    /// <summary>Where the document came from (a file path, or a label for inline YAML).</summary>
    public string Source { get; }

    /// <summary>The whole document.</summary>
    public JsonObject Document { get; }

    /// <summary><c>info.version</c>, e.g. "0.31.0".</summary>
    public string? Version => Document["info"]?["version"]?.GetValue<string>();

    /// <summary>The <see cref="SpecErratum"/>s that matched this document and were applied when it was loaded.</summary>
    public IReadOnlyList<SpecErratum> AppliedErrata { get; }

    /// <summary>Every operation in document order.</summary>
    public IReadOnlyList<OpenApiOperation> Operations { get; }

    /// <summary>Every <c>operationId</c> in document order.</summary>
    public IReadOnlyList<string> OperationIds { get; }

    /// <summary>Every name under <c>components/schemas</c>.</summary>
    public IReadOnlyList<string> SchemaNames { get; }

    /// <summary>A validator that resolves <c>$ref</c>s against this document.</summary>
    public SchemaValidator Validator { get; }

    /// <summary>Reads and parses a spec file.</summary>
    public static OpenApiSpec Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Parses spec text; tests use it for small hand-written documents.</summary>
    public static OpenApiSpec Parse(string yaml, string source = "<inline>") =>
        YamlToJson.Parse(yaml) is JsonObject document
            ? new OpenApiSpec(document, source)
            : throw new InvalidDataException($"{source}: the document is not a YAML mapping.");

    /// <summary>The schema <c>components/schemas/{componentName}</c>, or null when there is none.</summary>
    public JsonNode? Schema(string componentName) => _schemas[componentName];

    /// <summary>The operation with this <c>operationId</c>; throws when the spec has none.</summary>
    public OpenApiOperation Operation(string operationId) =>
        TryGetOperation(operationId, out var operation)
            ? operation
            : throw new KeyNotFoundException($"The spec has no operation with operationId '{operationId}'.");

    /// <summary>Looks an operation up by <c>operationId</c>.</summary>
    public bool TryGetOperation(string operationId, [NotNullWhen(true)] out OpenApiOperation? operation) =>
        _operationsById.TryGetValue(operationId, out operation);

    /// <summary>
    /// The operation for a method and path template. Parameter names are ignored, so an ASP.NET route such as
    /// <c>/v1/records/{id:guid}</c> finds the spec's <c>/v1/records/{recordId}</c>.
    /// </summary>
    public OpenApiOperation? FindOperation(string method, string pathTemplate)
    {
        var shape = PathShape(pathTemplate);
        return Operations.FirstOrDefault(o =>
            string.Equals(o.Method, method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(PathShape(o.Path), shape, StringComparison.Ordinal));
    }

    /// <summary>
    /// The response schema for an operation and status as written in the spec (typically
    /// <c>{"$ref": "#/components/schemas/PingResponse"}</c>; see <see cref="OpenApiResponse.SchemaName"/>), or
    /// null when that response declares no content. Throws when the operation or the status is not declared.
    /// </summary>
    public JsonNode? ResponseSchema(string operationId, int status)
    {
        var operation = Operation(operationId);
        var response = operation.Response(status)
            ?? throw new KeyNotFoundException(
                $"{operation} declares no response {status}; it declares {string.Join(", ", operation.Responses.Keys)}.");
        return response.Schema;
    }

    /// <summary>Resolves a local reference such as <c>#/components/schemas/PingResponse</c>, or returns null.</summary>
    public JsonNode? Resolve(string reference) => JsonPointer.Resolve(Document, reference);

    /// <summary>The path with every <c>{parameter}</c> reduced to <c>{}</c>, for comparing templates.</summary>
    internal static string PathShape(string pathTemplate) => PathParameter().Replace(pathTemplate.TrimEnd('/'), "{}");

    private static OpenApiOperation ParseOperation(string method, string path, JsonObject operation)
    {
        var operationId = operation["operationId"]?.GetValue<string>()
            ?? throw new InvalidDataException($"{method.ToUpperInvariant()} {path} has no operationId.");
        var responses = new Dictionary<string, OpenApiResponse>(StringComparer.Ordinal);
        foreach (var (status, response) in operation["responses"] as JsonObject ?? [])
        {
            var content = response?["content"] as JsonObject;
            // Every response here declares at most one media type; prefer JSON should a second ever appear.
            var media = content?.FirstOrDefault(c => string.Equals(c.Key, "application/json", StringComparison.OrdinalIgnoreCase)) is { Key: not null } json
                ? json
                : content?.FirstOrDefault();
            responses[status] = new OpenApiResponse(
                status,
                response?["description"]?.GetValue<string>(),
                media?.Key,
                media?.Value?["schema"]);
        }

        return new OpenApiOperation(operationId, method.ToUpperInvariant(), path, responses);
    }

    [GeneratedRegex(@"\{[^}]*\}", RegexOptions.CultureInvariant)]
    private static partial Regex PathParameter();
}
