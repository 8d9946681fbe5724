namespace Vectros.Grains.Abstractions.Issuers;

/// <summary>Constants of issuer registration and exchange (API-DELTA §8.4, §8.7).</summary>
public static class IssuerRules
{
    public const string Active = "active";
    public const string DefaultSubClaim = "sub";
    public const string DefaultEmailClaim = "email";
    public const int MaxClaimNameLength = 64;
    public const int MaxSignupTypeLength = 64;
    public const int MaxPolicies = 16;
    public const int MaxUriLength = 2048;

    /// <summary>Who minted an exchanged token (the token's <c>minted_by</c>, the principal's MintedBy).</summary>
    public static string MintedBy(string issuerId) => "iss_" + issuerId;

    /// <summary>
    /// Capabilities a self-signup role may not carry (§8.4 last rows): anyone the issuer vouches for would get them.
    /// <c>member-lifecycle</c> is allowed.
    /// </summary>
    public static readonly IReadOnlySet<string> ElevatedCapabilities =
        new HashSet<string>(["forensic-read", "context-directory-read", "delegate-mint"], StringComparer.Ordinal);
}
