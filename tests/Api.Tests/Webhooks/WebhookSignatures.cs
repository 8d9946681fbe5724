using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;
using Vectros.TestSupport;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>
/// Verifies a received request from scratch, as a partner would with only what the portal showed: the Standard
/// Webhooks algorithm (HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c> with the base64-decoded secret
/// after <c>whsec_</c>), Ed25519 (<c>v1a</c>) with the <c>whpk_</c> public key, and <c>X-Vectros-Signature</c>.
/// </summary>
public static class WebhookSignatures
{
    public static byte[] SignedContent(ReceivedWebhook r) =>
        Encoding.UTF8.GetBytes($"{r.Headers["webhook-id"]}.{r.Headers["webhook-timestamp"]}.").Concat(r.Body).ToArray();

    public static IEnumerable<(string Version, string Value)> Signatures(ReceivedWebhook r) =>
        r.Headers["webhook-signature"].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => (s[..s.IndexOf(',', StringComparison.Ordinal)], s[(s.IndexOf(',', StringComparison.Ordinal) + 1)..]));

    /// <summary>True when some <c>v1</c> signature is the HMAC of the request under <paramref name="secret"/>.</summary>
    public static bool HmacMatches(ReceivedWebhook r, string secret)
    {
        var expected = HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), SignedContent(r));
        return Signatures(r).Any(s => s.Version == "v1"
            && CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(s.Value), expected));
    }

    public static bool Ed25519Matches(ReceivedWebhook r, string publicKey)
    {
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(publicKey["whpk_".Length..]), KeyBlobFormat.RawPublicKey);
        return Signatures(r).Any(s => s.Version == "v1a" && SignatureAlgorithm.Ed25519.Verify(key, SignedContent(r), Convert.FromBase64String(s.Value)));
    }

    /// <summary><c>X-Vectros-Signature: t=&lt;timestamp&gt;,v1=&lt;hex&gt;[,v1=&lt;hex&gt;]</c> over the same content.</summary>
    public static bool VectrosHeaderMatches(ReceivedWebhook r, string secret)
    {
        var parts = r.Headers["x-vectros-signature"].Split(',').Select(p => p.Split('=', 2)).ToList();
        var timestamp = parts.Single(p => p[0] == "t")[1];
        if (timestamp != r.Headers["webhook-timestamp"])
        {
            return false;
        }

        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), SignedContent(r)));
        return parts.Any(p => p[0] == "v1" && p[1] == expected);
    }
}
