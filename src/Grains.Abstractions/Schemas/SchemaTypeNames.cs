using System.Text.RegularExpressions;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>
/// The type-name rule. The spec gives none; a type name appears in grain keys (<c>#</c>-separated), in record
/// scopes (<c>records:r:&lt;type&gt;</c>, <c>:</c>-separated) and in URLs, so it is kept to letters, digits,
/// <c>_</c> and <c>-</c>, starting with a letter.
/// </summary>
public static partial class SchemaTypeNames
{
    public const int MaxLength = 64;

    public static bool IsValid(string? typeName) => typeName is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(typeName);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
