using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Documents;

/// <summary>Bound from <c>Vectros:Documents</c>: upload and download URL lifetimes and the largest file accepted.</summary>
public sealed class DocumentOptions
{
    public const string Section = "Vectros:Documents";

    /// <summary>
    /// Largest uploaded file, in bytes (default 50 MiB). Bounded by what one grain message carries: the bytes travel to
    /// the document grain in one call, and Orleans refuses messages above 100 MiB by default.
    /// </summary>
    [Range(1, 96L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long an upload URL works (spec L7336: 60 minutes by default).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan UploadUrlLifetime { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How long a download URL works ("short-lived", spec L7277).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
