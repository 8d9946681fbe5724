using System.ComponentModel.DataAnnotations;

namespace Vectros.ApiFrontend.Auth;

/// <summary>Bound from <c>Vectros:Auth</c>: what unknown credentials and failing clients cost the server.</summary>
public sealed class AuthOptions
{
    public const string Section = "Vectros:Auth";

    /// <summary>
    /// How long an unknown credential's hash is remembered as unknown, so repeating it costs no database lookup. This
    /// is also how long a key created after a failed attempt with the same secret can still be refused: at most this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan NegativeCacheTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most unknown-credential hashes remembered at once; past it new misses are simply not cached.</summary>
    [Range(0, 1_000_000)]
    public int NegativeCacheSize { get; set; } = 10_000;

    /// <summary>Failed authentications (401s) a client address may have per minute before it gets 429; 0 turns it off.</summary>
    [Range(0, 1_000_000)]
    public int FailedAttemptsPerMinute { get; set; } = 60;

    /// <summary>Client addresses tracked at once; past it new addresses are not limited until old ones expire.</summary>
    [Range(1, 1_000_000)]
    public int TrackedAddresses { get; set; } = 10_000;

    /// <summary>
    /// Whether an issuer's <c>jwksUri</c> may be plain http to a loopback address (an OpenID provider on the same
    /// machine, in development and tests). Off by default: keys fetched over plain http could be swapped in transit.
    /// </summary>
    public bool AllowLoopbackHttpJwks { get; set; }

    /// <summary>How long an external issuer's fetched JWKS is trusted before it is fetched again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ExternalJwksCacheTime { get; set; } = TimeSpan.FromMinutes(10);
}
