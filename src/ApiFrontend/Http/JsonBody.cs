using System.Text.Json;
using System.Text.Unicode;
using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Reads a request body with <see cref="ApiJson.Request"/> and turns every parse failure into a 400 that names
/// the field, instead of the framework's empty 400.
/// </summary>
public static partial class JsonBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !type.StartsWith("application/merge-patch+json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ValidationException(null, "Content-Type must be application/json.", "UNSUPPORTED_MEDIA_TYPE");
        }

        // Checked up front: System.Text.Json leaves string values of a JsonObject undecoded until first read, so invalid
        // UTF-8 would otherwise surface deep inside a handler, long after the body was accepted.
        var bytes = await ReadAllAsync(request, cancellationToken);
        if (!Utf8.IsValid(bytes))
        {
            throw new ValidationException(null, "The request body is not valid UTF-8: JSON text must be UTF-8 encoded.");
        }

        if (DuplicateMembers.Find(bytes) is { } duplicate)
        {
            throw new ValidationException(duplicate, $"The field '{duplicate}' appears more than once.");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, ApiJson.Request)
                ?? throw new ValidationException(null, "The request body must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw Describe(ex);
        }
    }

    private static async Task<byte[]> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The server's request-body cap (Kestrel) bounds what is read here.
        using var buffer = request.ContentLength is { } length and <= int.MaxValue ? new MemoryStream((int)length) : new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static ValidationException Describe(JsonException ex)
    {
        var path = string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path;
        var message = ex.Message;
        if (UnknownMember().Match(message) is { Success: true } unknown)
        {
            // The reader's path already ends at the unknown member.
            var member = unknown.Groups[1].Value;
            var field = path.EndsWith("." + member, StringComparison.Ordinal) ? path : path == "$" ? $"$.{member}" : $"{path}.{member}";
            return new ValidationException(field, $"Unknown field '{field}'.");
        }

        if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            return new ValidationException(null, "A JSON request body is required.");
        }

        if (ConvertTo().Match(message) is { Success: true } convert)
        {
            return new ValidationException(path, $"Invalid value for '{path}': expected {Describe(convert.Groups[1].Value)}.");
        }

        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("nullable", StringComparison.OrdinalIgnoreCase))
        {
            return new ValidationException(path, $"'{path}' must not be null.");
        }

        return new ValidationException(path == "$" ? null : path, $"Malformed JSON at '{path}'.");
    }

    private static string Describe(string clrType) => clrType switch
    {
        "System.String" => "a string",
        "System.Int32" or "System.Int64" => "an integer",
        "System.Double" or "System.Decimal" => "a number",
        "System.Boolean" => "a boolean",
        _ when clrType.StartsWith("System.Collections", StringComparison.Ordinal) || clrType.EndsWith("[]", StringComparison.Ordinal) => "an array",
        _ when clrType.StartsWith("Vectros.", StringComparison.Ordinal) && clrType.EndsWith("Request", StringComparison.Ordinal) => "a JSON object",
        _ when clrType.StartsWith("Vectros.", StringComparison.Ordinal) => "one of the allowed values",
        _ => "a different type",
    };

    [GeneratedRegex("property '([^']+)' could not be mapped", RegexOptions.CultureInvariant)]
    private static partial Regex UnknownMember();

    [GeneratedRegex("could not be converted to ([^.\\s]+(?:\\.[^.\\s]+)*)\\.", RegexOptions.CultureInvariant)]
    private static partial Regex ConvertTo();
}
