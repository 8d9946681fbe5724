using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// The operator token (<c>Vectros:OperatorToken</c>) guards the developer portal and the Orleans Dashboard. Scripts
/// send it as <c>Authorization: Bearer TOKEN</c>; a browser sends it through HTTP basic authentication, with any user
/// name and the token as the password, so the dashboard can be opened from a browser's own login prompt.
/// </summary>
public static class OperatorToken
{
    /// <summary>The challenge that makes browsers ask for the token.</summary>
    public const string BasicChallenge = "Basic realm=\"Vectros operator\", charset=\"UTF-8\"";

    /// <summary>Whether a token is configured at all (without one, the operator surfaces do not exist).</summary>
    public static bool IsConfigured(HttpContext context) => !string.IsNullOrEmpty(Expected(context));

    /// <summary>Whether the request carries the configured token, as a bearer token or a basic-auth password.</summary>
    public static bool IsPresented(HttpContext context)
    {
        var expected = Expected(context);
        if (string.IsNullOrEmpty(expected))
        {
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        string given;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            given = header[7..].Trim();
        }
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            given = BasicPassword(header[6..].Trim()) ?? "";
        }
        else
        {
            return false;
        }

        // Compare digests: equal length, so the comparison time says nothing about the token.
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(given));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string? Expected(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.OperatorToken;

    private static string? BasicPassword(string encoded)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : text[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
