using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Teardown;

/// <summary>Bound from <c>Vectros:Teardown</c>.</summary>
public sealed class TeardownOptions
{
    public const string Section = "Vectros:Teardown";

    /// <summary>Rows per transaction: small enough that a huge context never holds long locks.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
