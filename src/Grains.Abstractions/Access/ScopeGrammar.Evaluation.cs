namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// Evaluation of clauses against an item (API-DELTA §8.4 "Read vs write"): one clause must both grant the verb and
/// match the ownership. A dimension the clause does not name (neither by key nor through <c>*</c>) does not narrow a
/// read, but permits no placement into it: so <c>{}</c> reads everything and places nothing, except an item with no
/// ownership at all, which places no value anywhere (a tenant-level item; API-DELTA §15 item 3). Pure: the caller
/// supplies the identity, membership and parent facts the placeholders resolve against.
/// </summary>
public static partial class ScopeGrammar
{
    public const string UserDimension = "userId";
    public const string AnyDimension = "*";

    /// <summary>Whether some clause grants <paramref name="requiredScope"/> and matches <paramref name="item"/> for <paramref name="mode"/>.</summary>
    public static bool Permits(IReadOnlyList<ScopeClause> clauses, string requiredScope, ItemOwnership item, AccessMode mode, AccessIdentity identity) =>
        clauses.Any(c => IsEnforceable(c) && ClauseGrants(c, requiredScope) && Matches(c, item, mode, identity));

    /// <summary>A clause naming a capability this release does not know is denied whole at runtime (CL 0.40), never half-applied.</summary>
    public static bool IsEnforceable(ScopeClause clause) => clause.GrantedCapabilities.All(Capabilities.Contains);

    /// <summary>Whether any enforceable clause carries <paramref name="capability"/> (<c>*</c> in allowed_actions confers none).</summary>
    public static bool HasCapability(IReadOnlyList<ScopeClause> clauses, string capability) =>
        clauses.Any(c => IsEnforceable(c) && c.GrantedCapabilities.Contains(capability, StringComparer.Ordinal));

    /// <summary>Whether one clause's data scope matches the item's ownership.</summary>
    public static bool Matches(ScopeClause clause, ItemOwnership item, AccessMode mode, AccessIdentity identity)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal) { [UserDimension] = item.UserId };
        foreach (var entry in item.Scopes)
        {
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            values["scope:" + entry[..colon]] = entry[(colon + 1)..];
        }

        foreach (var rule in clause.DataScope.Where(r => r.Key != AnyDimension))
        {
            values.TryAdd(rule.Key, null);
        }

        var star = clause.Rule(AnyDimension);
        foreach (var (dimension, value) in values)
        {
            var rule = clause.Rule(dimension) ?? star;
            if (rule is null)
            {
                if (mode == AccessMode.Place && value is not null)
                {
                    return false;
                }

                continue;
            }

            if (!Admits(rule.Values, dimension, value, identity))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Admits(IReadOnlyList<string?> allowed, string dimension, string? value, AccessIdentity identity)
    {
        foreach (var entry in allowed)
        {
            if (entry is null)
            {
                if (value is null)
                {
                    return true;
                }

                continue;
            }

            if (value is null)
            {
                continue; // only a literal null admits an absent value: ${{ any }} deliberately does not (CL 0.36)
            }

            var placeholder = Placeholder.TryParse(entry);
            if (placeholder is null ? string.Equals(entry, value, StringComparison.Ordinal) : Resolves(placeholder, dimension, value, identity))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Resolves(Placeholder p, string dimension, string value, AccessIdentity identity)
    {
        switch (p.Kind)
        {
            case PlaceholderKind.Any:
                return true;
            case PlaceholderKind.SelfUser:
                return identity.UserId is { } self && string.Equals(self, value, StringComparison.Ordinal);
            case PlaceholderKind.SelfScope:
                return identity.Scopes.TryGetValue(p.Namespace!, out var mine) && string.Equals(mine, value, StringComparison.Ordinal);
            case PlaceholderKind.UnderSelfUser:
                return identity.UserId is { } user && IsChild(identity, dimension, value, $"{UserDimension}:{user}");
            case PlaceholderKind.UnderSelfScope:
                return identity.Scopes.TryGetValue(p.Namespace!, out var parent) && IsChild(identity, dimension, value, $"scope:{p.Namespace}:{parent}");
            default:
                return identity.Memberships.Any(m => string.Equals(m.Namespace, p.Namespace, StringComparison.Ordinal)
                    && string.Equals(m.Value, value, StringComparison.Ordinal)
                    && (p.Level is null || string.Equals(m.Level, p.Level, StringComparison.Ordinal)));
        }
    }

    /// <summary>One level only, not an ancestor walk (CL 0.38).</summary>
    private static bool IsChild(AccessIdentity identity, string dimension, string value, string parent) =>
        identity.Children.Any(c => string.Equals(c.Dimension, dimension, StringComparison.Ordinal)
            && string.Equals(c.Value, value, StringComparison.Ordinal)
            && string.Equals(c.Parent, parent, StringComparison.Ordinal));
}
