using System.Globalization;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Http;

/// <summary>Query-string parsing with the spec's bounds and 400s that name the parameter.</summary>
public static class QueryParams
{
    /// <summary>Page size: 1–<paramref name="max"/>, default <paramref name="fallback"/> (spec §1.5).</summary>
    public static int Limit(HttpRequest request, int fallback = 20, int max = 100)
    {
        var raw = request.Query["limit"].ToString();
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
        {
            throw new ValidationException("limit", $"limit must be an integer between 1 and {max}.");
        }

        return limit;
    }

    public static bool Flag(HttpRequest request, string name)
    {
        var raw = request.Query[name].ToString();
        return raw switch
        {
            "" or "false" => false,
            "true" => true,
            _ => throw new ValidationException(name, $"{name} must be 'true' or 'false'."),
        };
    }

    public static string? Optional(HttpRequest request, string name, int maxLength = 512)
    {
        var raw = request.Query[name].ToString();
        if (raw.Length > maxLength)
        {
            throw new ValidationException(name, $"{name} is too long.");
        }

        return raw.Length == 0 ? null : raw;
    }
}
