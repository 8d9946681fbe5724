using System.Text.RegularExpressions;

namespace Vectros.Grains.Abstractions.AppContexts;

/// <summary>Context id rules and grain keys, shared by the front end and the grains.</summary>
public static partial class AppContextKeys
{
    public const string Default = "default";
    public const string Admin = "vectros-admin";

    /// <summary>Reserved contexts exist in every tenant and can never be deleted (spec L988).</summary>
    public static readonly IReadOnlyList<string> Reserved = [Default, Admin];

    public static bool IsReserved(string contextId) => contextId is Default or Admin;

    /// <summary>3–31 characters, a lowercase letter first, then lowercase letters, digits and hyphens (spec L5837).</summary>
    public static bool IsValidContextId(string? contextId) => contextId is not null && ContextIdPattern().IsMatch(contextId);

    /// <summary>The spec's composite id <c>tenant#ctx</c>; also the grain key.</summary>
    public static string Composite(string tenantId, string contextId) => $"{tenantId}#{contextId}";

    public static (string TenantId, string ContextId) Split(string compositeKey)
    {
        var i = compositeKey.LastIndexOf('#');
        return i <= 0 ? throw new ArgumentException("Not a composite context key.", nameof(compositeKey))
            : (compositeKey[..i], compositeKey[(i + 1)..]);
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{2,30}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContextIdPattern();
}
