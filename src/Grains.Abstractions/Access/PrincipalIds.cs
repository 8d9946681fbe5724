using System.Text.RegularExpressions;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>Profile principals (spec L5736): <c>usr_&lt;userId&gt;</c> or <c>key_&lt;keyId&gt;</c>, the suffix from <c>[A-Za-z0-9_-]</c>.</summary>
public static partial class PrincipalIds
{
    public const string UserPrefix = "usr_";
    public const string KeyPrefix = "key_";

    public static bool IsValid(string? principalId) => principalId is not null && Pattern().IsMatch(principalId);

    public static bool IsUser(string? principalId) => IsValid(principalId) && principalId!.StartsWith(UserPrefix, StringComparison.Ordinal);

    public static string ForUser(string userId) => UserPrefix + userId;

    [GeneratedRegex("^(usr|key)_[A-Za-z0-9_-]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
