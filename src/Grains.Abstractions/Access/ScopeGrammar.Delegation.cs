namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// The delegation cap (spec L471, L699, L804; API-DELTA §8.6): a scoped caller cannot give a profile, role or key more
/// than it holds. Each granted clause must fit inside ONE held clause (the same rule that decides access: one clause
/// grants the verb and matches the ownership), in verbs, capabilities and data scope, for reads and for placement.
/// Placeholders are compared as written only when the grant is for the caller's own principal; for someone else,
/// <c>self</c> means another identity, so only a held <c>${{ any }}</c> covers them. Root keys are exempt (not checked here).
/// </summary>
public static partial class ScopeGrammar
{
    /// <summary>The index of the first clause of <paramref name="granted"/> that no single held clause covers, or null when none is wider.</summary>
    public static int? FirstWider(IReadOnlyList<ScopeClause> granted, IReadOnlyList<ScopeClause> held, bool sameSubject)
    {
        var usable = held.Where(IsEnforceable).ToList();
        for (var i = 0; i < granted.Count; i++)
        {
            if (!usable.Any(h => Covers(h, granted[i], sameSubject)))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>Whether every clause of <paramref name="granted"/> is no wider than what <paramref name="held"/> holds.</summary>
    public static bool IsNoWiderThan(IReadOnlyList<ScopeClause> granted, IReadOnlyList<ScopeClause> held, bool sameSubject) =>
        FirstWider(granted, held, sameSubject) is null;

    private static bool Covers(ScopeClause held, ScopeClause granted, bool sameSubject)
    {
        if (!granted.GrantedCapabilities.All(c => held.GrantedCapabilities.Contains(c, StringComparer.Ordinal)))
        {
            return false;
        }

        var heldGrants = held.AllowedActions.Select(Canonical).OfType<Grant>().ToList();
        var places = false;
        foreach (var action in granted.AllowedActions)
        {
            if (Canonical(action) is not { } grant)
            {
                return false; // not in the grammar: refuse rather than guess what it would grant
            }

            places |= grant.Ops.Contains('c', StringComparison.Ordinal) || grant.Ops.Contains('u', StringComparison.Ordinal);
            foreach (var op in grant.Ops)
            {
                if (!heldGrants.Any(h => CoversOp(h, grant, op, sameSubject)))
                {
                    return false;
                }
            }
        }

        return CoversDataScope(held, granted, places, sameSubject);
    }

    private static bool CoversOp(Grant held, Grant granted, char op, bool sameSubject)
    {
        if (!held.Ops.Contains(op, StringComparison.Ordinal))
        {
            return false;
        }

        if (held.Resource == AnyResource)
        {
            return op != 's';
        }

        if (granted.Resource == AnyResource || !string.Equals(held.Resource, granted.Resource, StringComparison.Ordinal))
        {
            return false;
        }

        if (held.Qualifier is null)
        {
            return true;
        }

        // 'self' is the caller's own principal only when the grant is for the caller itself.
        return string.Equals(held.Qualifier, granted.Qualifier, StringComparison.Ordinal) && (sameSubject || granted.Qualifier != "self");
    }

    private static bool CoversDataScope(ScopeClause held, ScopeClause granted, bool places, bool sameSubject)
    {
        var dimensions = held.DataScope.Select(r => r.Key).Concat(granted.DataScope.Select(r => r.Key)).Append(AnyDimension)
            .Distinct(StringComparer.Ordinal);
        foreach (var dimension in dimensions)
        {
            var grantedRule = granted.Rule(dimension) ?? granted.Rule(AnyDimension);
            var heldRule = held.Rule(dimension) ?? held.Rule(AnyDimension);
            if (heldRule is null)
            {
                // The holder reads this dimension without limit but places nothing into it: a grant may narrow reads,
                // but if it can write it must not gain placement of values the holder lacks.
                if (places && grantedRule is not null && grantedRule.Values.Any(v => v is not null))
                {
                    return false;
                }

                continue;
            }

            if (grantedRule is null || !grantedRule.Values.All(v => ValueCovered(v, heldRule.Values, sameSubject)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ValueCovered(string? value, IReadOnlyList<string?> held, bool sameSubject)
    {
        if (value is null)
        {
            return held.Contains(null);
        }

        var placeholder = Placeholder.TryParse(value);
        var anyHeld = held.Any(h => h is not null && Placeholder.TryParse(h) is { Kind: PlaceholderKind.Any });
        if (placeholder is null)
        {
            return anyHeld || held.Contains(value, StringComparer.Ordinal);
        }

        if (anyHeld)
        {
            return true;
        }

        return placeholder.Kind != PlaceholderKind.Any && sameSubject && held.Contains(placeholder.Text, StringComparer.Ordinal);
    }
}
