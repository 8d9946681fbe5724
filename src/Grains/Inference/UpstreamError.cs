using System.Text.Json;

namespace Vectros.Grains.Inference;

/// <summary>
/// A short, safe description of an upstream error: only <c>error.message</c> (or <c>error</c> as a string), cut to a
/// length that keeps an echoed prompt from filling a log line. The caller redacts the key from it.
/// </summary>
internal static class UpstreamError
{
    private const int MaxLength = 200;

    public static string Describe(JsonElement error)
    {
        var text = error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object when error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => message.GetString(),
            _ => null,
        };
        return Cut(text ?? "no message");
    }

    /// <summary>The error of an HTTP error body, JSON (<c>{"error":…}</c>) or not.</summary>
    public static string DescribeBody(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
            {
                return Describe(error);
            }
        }
        catch (JsonException)
        {
            // Plain text (a proxy's error page): shown cut, below.
        }

        return Cut(body);
    }

    private static string Cut(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "…";
}
