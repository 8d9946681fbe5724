using System.ComponentModel.DataAnnotations;

namespace Vectros.ApiFrontend.RateLimiting;

/// <summary>Bound from <c>Vectros:RateLimit</c>. The spec limits non-GET operations per credential per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Vectros:RateLimit";

    /// <summary>Writes per credential per minute; 0 turns rate limiting off.</summary>
    [Range(0, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 1200;
}
