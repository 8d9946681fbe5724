using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// The body of a delivery: <c>{id, type, createdAt, livemode, tenantId, contextId, data}</c> (issue #11 item 3; data
/// is the events row's, which carries <c>scopes</c> and, for <c>*.failed</c>, <c>indexFailure</c>). Built once per
/// event and stored with the delivery, so every retry sends the same bytes.
/// </summary>
internal static class WebhookEnvelope
{
    public static string Build(Guid eventId, string type, DateTimeOffset createdAt, string tenantId, string? contextId, JsonNode? data)
    {
        var envelope = new JsonObject
        {
            ["id"] = eventId.ToString(),
            ["type"] = type,
            ["createdAt"] = createdAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["livemode"] = IsLive(tenantId),
            ["tenantId"] = tenantId,
            ["contextId"] = contextId,
            ["data"] = data ?? new JsonObject(),
        };
        return envelope.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>Tenant ids name their environment (<c>ten_live_…</c> / <c>ten_test_…</c>).</summary>
    public static bool IsLive(string tenantId) => tenantId.StartsWith("ten_live_", StringComparison.Ordinal);
}
