using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Sdk;

namespace Vectros.Contract.Tests.Spec;

/// <summary>
/// Assertions that a response is what the Vectros spec promises. Each failure is an <see cref="XunitException"/>
/// listing every violation with its JSON path, followed by the body.
/// </summary>
public static class ContractAssert
{
    private const int MaxBodyShown = 2000;

    // Duplicate member names are rejected: clients disagree about which one wins, so none should be sent.
    private static readonly JsonDocumentOptions _strictJson = new() { AllowDuplicateProperties = false };

    /// <summary>Asserts that <paramref name="json"/> conforms to <c>#/components/schemas/{componentName}</c>.</summary>
    public static void MatchesSchema(string componentName, string json)
    {
        var spec = OpenApiSpec.Current;
        var schema = spec.Schema(componentName) ?? throw new XunitException($"The spec has no component schema '{componentName}'.");
        var instance = ParseJson(json, componentName);
        ThrowIfAny($"The body does not match #/components/schemas/{componentName}", spec.Validator.Validate(instance, schema), json);
    }

    /// <summary>Asserts that <paramref name="json"/> conforms to the 0.40 shape <paramref name="componentName"/> of <see cref="DeltaSpec"/>.</summary>
    public static void MatchesDelta(string componentName, string json)
    {
        var delta = DeltaSpec.Current;
        var schema = delta.Schema(componentName) ?? throw new XunitException($"Delta040 has no schema '{componentName}'.");
        var instance = ParseJson(json, componentName);
        ThrowIfAny($"The body does not match the 0.40 shape {componentName}", delta.Validator.Validate(instance, schema), json);
    }

    /// <summary>
    /// Asserts that <paramref name="status"/> is declared for the operation and that <paramref name="body"/> is what
    /// the spec declares for it: JSON matching the schema, each event of a <c>text/event-stream</c>, or, where no
    /// content is declared, nothing (2xx) or nothing or <see cref="StandardErrorBody"/> (errors).
    /// </summary>
    public static void MatchesResponse(string operationId, int status, string body) =>
        MatchesResponse(operationId, status, body, contentType: null);

    /// <summary>
    /// <see cref="MatchesResponse(string, int, string)"/> for a real response, also checking that its
    /// Content-Type is the declared media type.
    /// </summary>
    public static async Task MatchesResponseAsync(string operationId, HttpResponseMessage response, CancellationToken cancellationToken = default)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        MatchesResponse(operationId, (int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// Asserts that the spec has an operation for this method and path template. Parameter names do not matter:
    /// <c>("GET", "/v1/app-contexts/{id}")</c> finds <c>/v1/app-contexts/{contextId}</c>.
    /// </summary>
    public static void HasOperation(string method, string pathTemplate)
    {
        var spec = OpenApiSpec.Current;
        if (spec.FindOperation(method, pathTemplate) is not null)
        {
            return;
        }

        var shape = OpenApiSpec.PathShape(pathTemplate);
        var samePath = spec.Operations
            .Where(o => string.Equals(OpenApiSpec.PathShape(o.Path), shape, StringComparison.Ordinal))
            .Select(o => o.Method)
            .ToList();
        throw new XunitException(samePath.Count > 0
            ? $"The spec has no {method.ToUpperInvariant()} {pathTemplate}; that path declares {string.Join(", ", samePath)}."
            : $"The spec has no path {pathTemplate} (parameter names ignored).");
    }

    private static void MatchesResponse(string operationId, int status, string body, string? contentType)
    {
        var spec = OpenApiSpec.Current;
        if (!spec.TryGetOperation(operationId, out var operation))
        {
            throw new XunitException($"The spec has no operation with operationId '{operationId}'.");
        }

        var label = $"{operation} {status}";
        var declared = operation.Response(status);
        if (declared is null)
        {
            // DESIGN.md §5a: a missing or bad credential is a 401 on every endpoint, even where the spec lists none.
            if (status == 401)
            {
                MatchesNoContent(label, status, body, spec);
                return;
            }

            throw new XunitException(
                $"{operation} does not declare status {status}; it declares {string.Join(", ", operation.Responses.Keys)}.{Environment.NewLine}{Shown(body)}");
        }

        if (!declared.HasContent)
        {
            MatchesNoContent(label, status, body, spec);
            return;
        }

        if (contentType is not null && !string.Equals(contentType, declared.MediaType, StringComparison.OrdinalIgnoreCase))
        {
            throw new XunitException($"{label}: Content-Type is {contentType}, but the spec declares {declared.MediaType}.{Environment.NewLine}{Shown(body)}");
        }

        var schema = declared.Schema ?? throw new XunitException($"{label}: the spec declares {declared.MediaType} without a schema.");
        var target = declared.SchemaName ?? "its inline schema";
        if (declared.IsEventStream)
        {
            MatchesEventStream(label, target, body, schema, spec);
            return;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            throw new XunitException($"{label}: the body is empty, but the spec declares {declared.MediaType} ({target}).");
        }

        var instance = ParseJson(body, label);
        ThrowIfAny($"{label}: the body does not match {target}", spec.Validator.Validate(instance, schema), body);
    }

    private static void MatchesNoContent(string label, int status, string body, OpenApiSpec spec)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return;
        }

        // A success the spec leaves empty (204 deletes, the 202 context delete) must stay empty: a generated client
        // has nowhere to put a body. Only an error may carry our error body.
        if (status is >= 200 and < 300)
        {
            throw new XunitException($"{label}: the spec declares no content, but the body is not empty.{Environment.NewLine}{Shown(body)}");
        }

        var instance = ParseJson(body, label);
        ThrowIfAny($"{label}: the spec declares no content, so the body must be empty or the standard error body", spec.Validator.Validate(instance, StandardErrorBody.Schema), body);
    }

    private static void MatchesEventStream(string label, string target, string body, JsonNode schema, OpenApiSpec spec)
    {
        var errors = new List<string>();
        var count = 0;
        var parser = SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        foreach (var item in parser.Enumerate())
        {
            var prefix = $"event {count++} ({item.EventType})";
            JsonNode? instance;
            try
            {
                instance = JsonNode.Parse(item.Data, documentOptions: _strictJson);
            }
            catch (JsonException e)
            {
                errors.Add($"{prefix}: data is not JSON: {e.Message}");
                continue;
            }

            errors.AddRange(spec.Validator.Validate(instance, schema).Select(e => $"{prefix} {e}"));
        }

        if (count == 0)
        {
            errors.Add("the stream holds no events");
        }

        ThrowIfAny($"{label}: the event stream does not match {target}", errors, body);
    }

    private static JsonNode? ParseJson(string json, string label)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: _strictJson);
        }
        catch (JsonException e)
        {
            throw new XunitException($"{label}: the body is not valid JSON: {e.Message}{Environment.NewLine}{Shown(json)}");
        }
    }

    private static void ThrowIfAny(string heading, IReadOnlyList<string> errors, string body)
    {
        if (errors.Count == 0)
        {
            return;
        }

        var message = new StringBuilder()
            .Append(heading).Append(" (").Append(errors.Count).Append(errors.Count == 1 ? " error):" : " errors):").AppendLine();
        foreach (var error in errors)
        {
            message.Append("  ").AppendLine(error);
        }

        throw new XunitException(message.Append(Shown(body)).ToString());
    }

    private static string Shown(string body) =>
        body.Length <= MaxBodyShown ? $"Body: {body}" : $"Body (first {MaxBodyShown} of {body.Length} chars): {body[..MaxBodyShown]}";
}
