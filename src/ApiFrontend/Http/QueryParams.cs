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

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var limit)
            ? Limit(limit, fallback, max)
            : throw LimitOutOfRange(max);
    }

    /// <summary>A page size already read as a number (a lookup body, a gRPC request): the same bounds and message.</summary>
    public static int Limit(int? limit, int fallback = 20, int max = 100) => limit switch
    {
        null => fallback,
        < 1 => throw LimitOutOfRange(max),
        { } value when value > max => throw LimitOutOfRange(max),
        { } value => value,
    };

    /// <summary>An optional UUID member or parameter: null stays null, anything else must parse.</summary>
    public static Guid? Uuid(string? raw, string name) =>
        raw is null ? null : Guid.TryParse(raw, out var id) ? id : throw new ValidationException(name, $"{name} must be a UUID.");

    private static ValidationException LimitOutOfRange(int max) => new("limit", $"limit must be an integer between 1 and {max}.");

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
