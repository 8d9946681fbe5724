using NpgsqlTypes;
using Vectros.Grains.Abstractions.Access;

namespace Vectros.Grains.Storage;

/// <summary>
/// A SQL narrowing of a list query to a scoped caller's data scope (issue #9 item 7), over an item table's
/// <c>user_id</c> and <c>scopes</c> columns, so a narrow credential does not page through rows it can never see.
/// It is a superset on purpose: a dimension it cannot express (<c>*</c>, <c>${{ any }}</c>) is left open and the grain
/// still decides every row with <see cref="CallerContext.Permits"/>; the evaluator stays the one of ScopeGrammar.
/// </summary>
internal static class DataScopeSql
{
    /// <summary>
    /// The predicate (one clause's rules ANDed, clauses ORed), or null when nothing narrows: root keys, clause-less
    /// callers, or a clause granting <paramref name="requiredScope"/> that constrains no column. <paramref name="bind"/>
    /// binds a value and returns its placeholder. A null <paramref name="requiredScope"/> (a mode spanning types) keeps
    /// every enforceable clause.
    /// </summary>
    public static string? Predicate(CallerContext caller, string? requiredScope, Func<object, NpgsqlDbType, string> bind, string alias = "")
    {
        if (caller.IsRoot || caller.Access is not { } access)
        {
            return null;
        }

        var clauses = access.Clauses.Where(c => ScopeGrammar.IsEnforceable(c) && (requiredScope is null || ScopeGrammar.ClauseGrants(c, requiredScope))).ToList();
        if (clauses.Count == 0)
        {
            return "FALSE";
        }

        var ors = new List<string>(clauses.Count);
        foreach (var clause in clauses)
        {
            var ands = clause.DataScope.Select(r => Rule(r, access.Identity, bind, alias)).OfType<string>().ToList();
            if (ands.Count == 0)
            {
                return null; // this clause reads everything it grants
            }

            ors.Add("(" + string.Join(" AND ", ands) + ")");
        }

        return "(" + string.Join(" OR ", ors) + ")";
    }

    private static string? Rule(DataScopeRule rule, AccessIdentity identity, Func<object, NpgsqlDbType, string> bind, string alias)
    {
        var isUser = rule.Key == ScopeGrammar.UserDimension;
        var ns = rule.Key.StartsWith("scope:", StringComparison.Ordinal) ? rule.Key[6..] : null;
        if (!isUser && ns is null)
        {
            return null; // '*' covers dimensions no column lists: left to the grain
        }

        var values = new List<string>();
        var hasNull = false;
        foreach (var entry in rule.Values)
        {
            if (entry is null)
            {
                hasNull = true;
                continue;
            }

            var p = Placeholder.TryParse(entry);
            if (p is { Kind: PlaceholderKind.Any })
            {
                return null;
            }

            values.AddRange(p is null ? [entry] : Resolve(p, rule.Key, identity));
        }

        var parts = new List<string>(2);
        if (isUser)
        {
            var ids = values.Select(v => Guid.TryParse(v, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToArray();
            if (ids.Length > 0)
            {
                parts.Add($"{alias}user_id = ANY({bind(ids, NpgsqlDbType.Array | NpgsqlDbType.Uuid)})");
            }

            if (hasNull)
            {
                parts.Add($"{alias}user_id IS NULL");
            }
        }
        else
        {
            if (values.Count > 0)
            {
                parts.Add($"{alias}scopes && {bind(values.Select(v => $"{ns}:{v}").Distinct().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)}");
            }

            if (hasNull)
            {
                parts.Add($"NOT EXISTS (SELECT 1 FROM unnest({alias}scopes) AS o(v) WHERE starts_with(o.v, {bind(ns + ":", NpgsqlDbType.Text)}))");
            }
        }

        return parts.Count == 0 ? "FALSE" : "(" + string.Join(" OR ", parts) + ")";
    }

    /// <summary>The values a placeholder stands for in <paramref name="dimension"/> (the evaluator's meaning, listed).</summary>
    private static IEnumerable<string> Resolve(Placeholder p, string dimension, AccessIdentity identity)
    {
        switch (p.Kind)
        {
            case PlaceholderKind.SelfUser:
                return identity.UserId is { } user ? [user] : [];
            case PlaceholderKind.SelfScope:
                return identity.Scopes.TryGetValue(p.Namespace!, out var mine) ? [mine] : [];
            case PlaceholderKind.UnderSelfUser:
                return identity.UserId is { } parentUser ? Children(identity, dimension, $"{ScopeGrammar.UserDimension}:{parentUser}") : [];
            case PlaceholderKind.UnderSelfScope:
                return identity.Scopes.TryGetValue(p.Namespace!, out var parent) ? Children(identity, dimension, $"scope:{p.Namespace}:{parent}") : [];
            case PlaceholderKind.Member:
                return identity.Memberships
                    .Where(m => m.Namespace == p.Namespace && (p.Level is null || m.Level == p.Level))
                    .Select(m => m.Value);
            default:
                return [];
        }
    }

    private static IEnumerable<string> Children(AccessIdentity identity, string dimension, string parent) =>
        identity.Children.Where(c => c.Dimension == dimension && c.Parent == parent).Select(c => c.Value);
}
