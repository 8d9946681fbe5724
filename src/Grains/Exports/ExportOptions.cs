using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Exports;

/// <summary>Bound from <c>Vectros:Exports</c>.</summary>
public sealed class ExportOptions
{
    public const string Section = "Vectros:Exports";

    /// <summary>How long a download URL works; a GET on the job after that mints a fresh one.</summary>
    public TimeSpan UrlLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a completed (or failed) export is kept; then its payload and its job row are deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows read per keyset page: the most an export holds in memory at once, besides one blob part.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 500;
}
