namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// The one scope grammar (API-DELTA §8.4, spec ScopeClause L5680): the per-request check every endpoint and grain
/// goes through (<see cref="IsAllowed"/>), the authoring rules for clauses (<see cref="ValidateClause"/>), the
/// evaluation of a data scope against an item's ownership (<see cref="Permits"/>), and the delegation cap
/// (<see cref="FirstWider"/>). Required scopes are <c>resource:op[:qualifier]</c> (e.g. <c>records:r:intake_form</c>);
/// held actions are <c>*</c> or <c>resource:ops[:qualifier]</c> with ops from c, r, u, d, s, plus the 0.31 verbs
/// in <see cref="LegacyVerbs"/>, accepted as aliases of their 0.40 equivalents (DESIGN §5a: both generations).
/// Root keys hold every action. Reveal (<c>s</c>) is never implied: it must be granted explicitly (DESIGN §5a).
/// </summary>
public static partial class ScopeGrammar
{
    /// <summary>The resource of an alias that reaches every resource (the 0.31 <c>read</c>/<c>write</c>/<c>delete</c>).</summary>
    private const string AnyResource = "*";

    /// <summary>
    /// The 0.31 verbs and their 0.40 equivalents: the only place the two generations meet. 0.40 refuses these words
    /// (CL 0.33.1, 0.39); we accept them on input and keep stored ones working. <c>*:…</c> means every resource.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LegacyVerbs = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["read"] = "*:r",
        ["write"] = "*:cu",
        ["delete"] = "*:d",
        ["admin:keys"] = "keys:crd",
        ["admin:profiles"] = "profiles:crud",
        ["admin:users"] = "users:c",             // API-DELTA §8.8: the invite scope became users:c
        ["create_own_scoped_key"] = "keys:c:self", // a key for the caller's own principal only
        ["schemas:w"] = "schemas:cud",           // API-DELTA §15 item 2
    };

    /// <summary>0.31 token ops words inside <c>resource:ops</c> (e.g. <c>search:read</c>).</summary>
    private static readonly IReadOnlyDictionary<string, string> LegacyOps = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["read"] = "r",
        ["write"] = "cu",
        ["delete"] = "d",
    };

    /// <summary>Whether a credential holding <paramref name="allowedActions"/> (or any root key) may do <paramref name="requiredScope"/>.</summary>
    public static bool IsAllowed(bool isRoot, IReadOnlyList<string> allowedActions, string requiredScope)
    {
        var required = ParseRequired(requiredScope);
        if (isRoot)
        {
            return required.Ops != "s";
        }

        foreach (var held in allowedActions)
        {
            if (Canonical(held) is { } grant && Grants(grant, required))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one clause's actions grant <paramref name="requiredScope"/> (a scoped credential's view; root is not a clause).</summary>
    public static bool ClauseGrants(ScopeClause clause, string requiredScope) => IsAllowed(false, clause.AllowedActions, requiredScope);

    /// <summary>
    /// A held action in its 0.40 meaning: resource (or <see cref="AnyResource"/>), op letters from c r u d s, qualifier.
    /// Null when the entry is not in the grammar at all (it then grants nothing).
    /// </summary>
    internal static Grant? Canonical(string held)
    {
        if (held == "*")
        {
            return new Grant(AnyResource, "crud", null);
        }

        if (LegacyVerbs.TryGetValue(held, out var modern))
        {
            held = modern;
        }

        var parts = held.Split(':', 3);
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        var ops = LegacyOps.TryGetValue(parts[1], out var letters) ? letters : parts[1];

        // A held 0.31 "w" (schemas:w and the token grammar) is the 0.40 c, u and d (API-DELTA §5, §15 item 2).
        ops = ops.Replace("w", "cud", StringComparison.Ordinal);
        return ops.All(c => c is 'c' or 'r' or 'u' or 'd' or 's')
            ? new Grant(parts[0], new string(ops.Distinct().ToArray()), parts.Length > 2 ? parts[2] : null)
            : null;
    }

    private static bool Grants(Grant held, Required required)
    {
        if (held.Resource == AnyResource)
        {
            // '*' and the 0.31 read/write/delete reach every resource, but never reveal.
            return required.Ops != "s" && HasOp(held.Ops, required.Ops);
        }

        if (!string.Equals(held.Resource, required.Resource, StringComparison.Ordinal))
        {
            return false;
        }

        if (held.Qualifier is not null && !string.Equals(held.Qualifier, required.Qualifier, StringComparison.Ordinal))
        {
            return false;
        }

        return HasOp(held.Ops, required.Ops);
    }

    /// <summary>A required 0.31 <c>w</c> (schema writes) is met by a held c or u.</summary>
    private static bool HasOp(string heldOps, string requiredOp) => requiredOp switch
    {
        "w" => heldOps.Contains('c', StringComparison.Ordinal) || heldOps.Contains('u', StringComparison.Ordinal),
        { Length: 1 } => heldOps.Contains(requiredOp[0], StringComparison.Ordinal),
        _ => false,
    };

    private static Required ParseRequired(string scope)
    {
        var parts = scope.Split(':', 3);
        return new Required(parts[0], parts.Length > 1 ? parts[1] : "", parts.Length > 2 ? parts[2] : null);
    }

    internal readonly record struct Grant(string Resource, string Ops, string? Qualifier);

    private readonly record struct Required(string Resource, string Ops, string? Qualifier);
}
