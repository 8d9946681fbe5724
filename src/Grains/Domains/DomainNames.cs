using System.Globalization;
using System.Net;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Domains;

/// <summary>Normalises and checks a claimed domain or a URL's host: lower-case ASCII (IDNA), no trailing dot.</summary>
public static class DomainNames
{
    public const string ChallengeLabel = "_vectros-challenge";
    public const string ChallengePrefix = "vectros-domain-verification=";

    private static readonly IdnMapping _idn = new() { UseStd3AsciiRules = true };

    // Names that never belong to a partner's public endpoint.
    private static readonly string[] _reservedSuffixes = ["localhost", "local", "internal", "arpa", "home.arpa", "invalid", "onion"];

    /// <summary>The normalised domain, or a 400 naming <paramref name="field"/> with the reason.</summary>
    public static string Normalize(string? value, string field = "domain")
    {
        var trimmed = (value ?? "").Trim().TrimEnd('.');
        if (trimmed.Length == 0)
        {
            throw new ValidationException(field, $"{field} is required (a DNS name such as hooks.example.com).");
        }

        if (IPAddress.TryParse(trimmed.Trim('[', ']'), out _))
        {
            throw new ValidationException(field, $"{field} must be a DNS name, not an address.");
        }

        string ascii;
        try
        {
            ascii = _idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            throw new ValidationException(field, $"{field} is not a valid DNS name.");
        }

        var labels = ascii.Split('.');
        if (ascii.Length > 253 || labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-')
            || labels[^1].All(char.IsAsciiDigit))
        {
            throw new ValidationException(field, $"{field} must be a DNS name with at least two labels (e.g. example.com).");
        }

        if (_reservedSuffixes.Any(s => ascii == s || ascii.EndsWith("." + s, StringComparison.Ordinal)))
        {
            throw new ValidationException(field, $"{field} is a reserved or local name that cannot host a public endpoint.");
        }

        return ascii;
    }

    public static string ChallengeName(string domain) => $"{ChallengeLabel}.{domain}";

    public static string ChallengeValue(string token) => ChallengePrefix + token;
}
