using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Tokens;

/// <summary>Bound from <c>Vectros:Tokens</c>: who signs <c>st_</c> tokens and how often the signing key rotates.</summary>
public sealed class TokenSigningOptions
{
    public const string Section = "Vectros:Tokens";

    /// <summary>The <c>iss</c> of every token (e.g. the public base URL). Verifiers check it.</summary>
    [Required, MinLength(1)]
    public string Issuer { get; set; } = "vectros";

    /// <summary>
    /// Age at which the active signing key is replaced automatically, by whichever silo next reads the key ring;
    /// <c>00:00:00</c> leaves rotation to <c>./vectros admin rotate-signing-key</c>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a silo trusts its copy of the key ring: how soon it signs with a key another silo activated.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}
