using System.Globalization;

namespace Vectros.Grains.Metering;

/// <summary>Calendar months (UTC) as <c>yyyy-MM</c>, and the usage grain key <c>tenant#yyyy-MM</c>.</summary>
public static class UsagePeriod
{
    public static string Of(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string Of(int year, int month) => $"{year:D4}-{month:D2}";

    public static string GrainKey(string tenantId, string period) => $"{tenantId}#{period}";
}
