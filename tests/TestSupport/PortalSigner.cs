using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vectros.TestSupport;

/// <summary>Signs a developer-portal call as a client would (see README "Signed portal calls"), written from the published rule.</summary>
public static class PortalSigner
{
    public static HttpRequestMessage Signed(HttpMethod method, string pathAndQuery, string? json, string operatorToken, DateTimeOffset? at = null, string? nonce = null)
    {
        var body = Encoding.UTF8.GetBytes(json ?? "");
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        nonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var message = $"{timestamp}.{nonce}.{method.Method.ToUpperInvariant()}.{pathAndQuery}.{Convert.ToHexStringLower(SHA256.HashData(body))}";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(operatorToken), Encoding.UTF8.GetBytes(message)));
        var request = new HttpRequestMessage(method, pathAndQuery);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Add("X-Vectros-Timestamp", timestamp);
        request.Headers.Add("X-Vectros-Nonce", nonce);
        request.Headers.Add("X-Vectros-Portal-Signature", "v1=" + signature);
        return request;
    }

    /// <summary>A copy of a signed request (same headers, same body): what an attacker who captured it would send.</summary>
    public static async Task<HttpRequestMessage> ReplayAsync(HttpRequestMessage original)
    {
        var copy = new HttpRequestMessage(original.Method, original.RequestUri);
        if (original.Content is not null)
        {
            copy.Content = new StringContent(await original.Content.ReadAsStringAsync(), Encoding.UTF8, "application/json");
        }

        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}
