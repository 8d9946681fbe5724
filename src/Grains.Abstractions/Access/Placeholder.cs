using System.Text.RegularExpressions;

namespace Vectros.Grains.Abstractions.Access;

public enum PlaceholderKind
{
    Any,
    SelfUser,
    SelfScope,
    UnderSelfUser,
    UnderSelfScope,
    Member,
}

/// <summary>
/// A <c>${{ … }}</c> data_scope value (API-DELTA §8.4, CL 0.38, 0.40). Any other spelling is not a placeholder and is
/// refused at authoring, so it can never be stored as a literal that quietly matches nothing.
/// </summary>
public sealed partial record Placeholder(PlaceholderKind Kind, string? Namespace, string? Level)
{
    /// <summary>The canonical spelling, as stored and returned.</summary>
    public string Text => "${{ " + Kind switch
    {
        PlaceholderKind.Any => "any",
        PlaceholderKind.SelfUser => "self.userId",
        PlaceholderKind.SelfScope => $"self.scope.{Namespace}",
        PlaceholderKind.UnderSelfUser => "under.self.userId",
        PlaceholderKind.UnderSelfScope => $"under.self.scope.{Namespace}",
        _ => Level is null ? $"member.scope.{Namespace}" : $"member.scope.{Namespace}:{Level}",
    } + " }}";

    /// <summary>The placeholder a value spells, or null when it is not exactly one of the allowed forms.</summary>
    public static Placeholder? TryParse(string value)
    {
        var match = Outer().Match(value);
        if (!match.Success)
        {
            return null;
        }

        var expr = match.Groups[1].Value;
        switch (expr)
        {
            case "any":
                return new Placeholder(PlaceholderKind.Any, null, null);
            case "self.userId":
                return new Placeholder(PlaceholderKind.SelfUser, null, null);
            case "under.self.userId":
                return new Placeholder(PlaceholderKind.UnderSelfUser, null, null);
        }

        if (Scoped().Match(expr) is { Success: true } scoped && OwnershipScopes.IsValidNamespace(scoped.Groups[2].Value))
        {
            return new Placeholder(scoped.Groups[1].Value == "self" ? PlaceholderKind.SelfScope : PlaceholderKind.UnderSelfScope, scoped.Groups[2].Value, null);
        }

        if (Member().Match(expr) is { Success: true } member && OwnershipScopes.IsValidNamespace(member.Groups[1].Value))
        {
            return new Placeholder(PlaceholderKind.Member, member.Groups[1].Value, member.Groups[2].Success ? member.Groups[2].Value : null);
        }

        return null;
    }

    [GeneratedRegex(@"^\$\{\{\s*([^{}\s]+)\s*\}\}$", RegexOptions.CultureInvariant)]
    private static partial Regex Outer();

    [GeneratedRegex(@"^(self|under\.self)\.scope\.([a-z][a-z0-9_-]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Scoped();

    [GeneratedRegex(@"^member\.scope\.([a-z][a-z0-9_-]*)(?::([A-Za-z0-9][A-Za-z0-9_-]{0,63}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex Member();
}
