using System.ComponentModel.DataAnnotations;

namespace Vectros.ApiFrontend;

/// <summary>Front-end settings, bound from <c>Vectros</c>. Secrets here are never logged.</summary>
public sealed class ApiOptions
{
    public const string Section = "Vectros";

    /// <summary>Reported by ping as the serving deployment (spec PingResponse.environment).</summary>
    [RegularExpression("^(staging|production)$", ErrorMessage = "Vectros:Environment must be 'staging' or 'production'.")]
    public string Environment { get; set; } = "staging";

    /// <summary>Guards the developer portal (<c>/developer/*</c>). Empty disables the portal.</summary>
    public string? OperatorToken { get; set; }

    /// <summary>
    /// When true, every developer-portal call that changes something must be signed (timestamp, nonce and an HMAC
    /// keyed by the operator token; see <c>PortalRequestSigning</c>), so a captured call cannot be replayed. A signed
    /// call is checked whether or not this is on.
    /// </summary>
    public bool RequireSignedPortalCalls { get; set; }

    /// <summary>
    /// The absolute base URL clients reach this server at (e.g. <c>https://vectros.example.com</c>), used for the
    /// signed upload and download URLs. Unset, they are built from the request's scheme and Host header, which is
    /// right for direct access but not behind a proxy that rewrites the host.
    /// </summary>
    [Url(ErrorMessage = "Vectros:PublicBaseUrl must be an absolute http(s) URL.")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Request bodies above this many bytes get 413.</summary>
    [Range(1024, 1L << 30)]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How long a resolved credential is trusted before it is looked up again: the upper bound on how long a
    /// revoked key keeps working (issue #2 asks for under 5 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:04")]
    public TimeSpan CredentialCacheTime { get; set; } = TimeSpan.FromSeconds(2);
}
