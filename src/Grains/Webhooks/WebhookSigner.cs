using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// The signature headers of one attempt (issue #11 item 3), compatible with the Standard Webhooks specification:
/// <c>webhook-id</c>, <c>webhook-timestamp</c> (unix seconds) and <c>webhook-signature</c>, a space-separated list of
/// <c>v1,&lt;base64 HMAC-SHA256(secret bytes, "{id}.{timestamp}.{body}")&gt;</c> per active secret (two during a
/// rotation's overlap) and <c>v1a,&lt;base64 Ed25519 signature&gt;</c> over the same content when chosen.
/// The spec names <c>X-Vectros-Signature</c> without a format; we send <c>t=&lt;timestamp&gt;,v1=&lt;hex HMAC&gt;</c>
/// over the same content (one <c>v1=</c> per active secret).
/// </summary>
internal static class WebhookSigner
{
    public static Dictionary<string, string> Headers(
        string webhookId, DateTimeOffset now, byte[] body, IReadOnlyList<byte[]> hmacKeys, string? ed25519PrivateKey)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.").Concat(body).ToArray();
        var macs = hmacKeys.Select(k => HMACSHA256.HashData(k, signed)).ToList();
        var signatures = macs.Select(m => "v1," + Convert.ToBase64String(m)).ToList();
        if (ed25519PrivateKey is not null)
        {
            signatures.Add("v1a," + Convert.ToBase64String(WebhookSecrets.SignEd25519(ed25519PrivateKey, signed)));
        }

        return new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["webhook-id"] = webhookId,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = string.Join(' ', signatures),
            ["X-Vectros-Signature"] = $"t={timestamp}," + string.Join(',', macs.Select(m => "v1=" + Convert.ToHexStringLower(m))),
        };
    }
}
