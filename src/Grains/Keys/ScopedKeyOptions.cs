using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Keys;

/// <summary>Bound from <c>Vectros:ScopedKeys</c>.</summary>
public sealed class ScopedKeyOptions
{
    public const string Section = "Vectros:ScopedKeys";

    /// <summary>
    /// The plan's active-key limit, counted per environment (API-DELTA §8.6): a mint past it is a 400 (spec createScopedKey).
    /// Plans are not modelled yet, so every account has this one limit.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxActivePerEnvironment { get; set; } = 100;
}
