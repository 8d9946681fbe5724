using System.ComponentModel.DataAnnotations;

namespace Vectros.ApiFrontend.Logs;

/// <summary><c>Vectros:Logs</c> (front-end side): the in-memory buffer between a request and the log tables.</summary>
public sealed class ApiLogBufferOptions
{
    public const string Section = "Vectros:Logs";

    /// <summary>Entries held in memory; when full, a new entry is dropped (and counted) rather than slow the request.</summary>
    [Range(1, 1_000_000)]
    public int ChannelCapacity { get; set; } = 10_000;

    /// <summary>Most entries written in one batch.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long the writer waits for a batch to fill before writing what it has.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);
}
