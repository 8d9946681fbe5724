using Vectros.Grains.Abstractions.Access;

namespace Vectros.ApiFrontend.Auth;

/// <summary>The caller as the role and profile grains see it: its context plus the authority it could delegate.</summary>
public static class AccessActors
{
    public static AccessActor GetActor(this HttpContext context)
    {
        var principal = context.GetPrincipal();
        return new AccessActor(context.GetCaller(), principal.PrincipalId, Clauses(principal), principal.Identity ?? new Dictionary<string, string>());
    }

    /// <summary>The scoped credential's clauses; root keys hold no clauses (they are exempt from every cap).</summary>
    public static IReadOnlyList<ScopeClause> Clauses(Principal principal) =>
        principal.IsRoot ? []
        : principal.Clauses
          ?? [new ScopeClause(principal.AllowedActions, principal.DataScope.Select(kv => new DataScopeRule(kv.Key, kv.Value)).ToList(), [])];

    /// <summary>
    /// What grains enforce the data scope with (null for root keys). The identity is the credential's bound user and
    /// <c>scope:&lt;ns&gt;</c> values; membership and parent facts are added per request where clauses need them.
    /// </summary>
    public static CallerAccess? Access(Principal principal)
    {
        if (principal.IsRoot)
        {
            return null;
        }

        var scopes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in principal.Identity ?? new Dictionary<string, string>())
        {
            if (key.StartsWith("scope:", StringComparison.Ordinal))
            {
                scopes[key["scope:".Length..]] = value;
            }
        }

        // The bound user, else the identity's userId stamp: ${{ self.userId }} and the stamp on writes agree (spec ScopeRequest.identity).
        var user = principal.UserId ?? (principal.Identity?.TryGetValue(ScopeGrammar.UserDimension, out var stamped) == true ? stamped : null);
        return new CallerAccess(Clauses(principal), new AccessIdentity(user, scopes, [], []));
    }

    /// <summary>Whether the caller holds a capability (root keys act tenant-wide and need none).</summary>
    public static bool HasCapability(this HttpContext context, string capability)
    {
        var principal = context.GetPrincipal();
        return principal.IsRoot || ScopeGrammar.HasCapability(Clauses(principal), capability);
    }
}
