using System.Globalization;
using System.Text.Json.Nodes;

namespace Vectros.Grains.History;

/// <summary>
/// What every item's history snapshot shares: timestamps in one fixed UTC form (microseconds, as PostgreSQL keeps them,
/// so a snapshot hashes the same however it was built) and no members for absent values.
/// </summary>
internal static class SnapshotJson
{
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Removes the members whose value is null, in place, and returns the object.</summary>
    public static JsonObject WithoutNulls(JsonObject obj)
    {
        foreach (var name in obj.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            obj.Remove(name);
        }

        return obj;
    }
}
