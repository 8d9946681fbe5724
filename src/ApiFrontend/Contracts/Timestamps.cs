using System.Globalization;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>ISO-8601 UTC with milliseconds, the spec's timestamp form.</summary>
public static class Timestamps
{
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
