using System.Text.Json;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// Who may write which role or profile (spec L471, L699, L804; API-DELTA §8.5). Root keys are exempt throughout.
/// Pure functions, so every rule is unit-tested without a scoped credential.
/// </summary>
public static class ProfileAuthority
{
    public const int MaxOverrides = OwnershipScopes.MaxEntries;

    /// <summary>
    /// The delegation cap: <paramref name="granted"/> (inline scopes, or the clauses of the referenced role) may not be
    /// wider than the actor's own clauses. <paramref name="principalId"/> is the grantee (null for a role).
    /// </summary>
    public static void CheckCap(AccessActor actor, IReadOnlyList<ScopeClause> granted, string? principalId, string field)
    {
        if (actor.IsRoot)
        {
            return;
        }

        var sameSubject = principalId is not null && string.Equals(principalId, actor.PrincipalId, StringComparison.Ordinal);
        if (ScopeGrammar.FirstWider(granted, actor.Clauses, sameSubject) is { } index)
        {
            throw new ForbiddenException($"{field}[{index}] grants more than this credential holds: a scoped caller cannot delegate beyond its own scopes.");
        }
    }

    /// <summary>
    /// identityOverrides authority (CL 0.36, 0.38): a scoped caller may set only values it holds, and change or clear
    /// only values it holds. <paramref name="after"/> null means a delete (every current value is being removed).
    /// </summary>
    public static void CheckOverrides(AccessActor actor, IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after)
    {
        if (actor.IsRoot)
        {
            return;
        }

        before ??= new Dictionary<string, string>();
        after ??= new Dictionary<string, string>();
        foreach (var key in before.Keys.Union(after.Keys, StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(key);
            var now = after.GetValueOrDefault(key);
            if (string.Equals(old, now, StringComparison.Ordinal))
            {
                continue;
            }

            if ((old is not null && !Holds(actor, key, old)) || (now is not null && !Holds(actor, key, now)))
            {
                throw new ForbiddenException($"identityOverrides: this credential does not hold the '{key}' value it would set, change or clear.");
            }
        }
    }

    /// <summary>
    /// Whether the actor holds <c>profiles:&lt;op&gt;</c> for <paramref name="principalId"/>: an unqualified grant, one
    /// qualified with that principal, or <c>self</c> when it is the actor's own principal (CL 0.40).
    /// </summary>
    public static bool CanActOn(AccessActor actor, char op, string principalId) =>
        actor.Caller.Can($"profiles:{op}:{principalId}")
        || (string.Equals(principalId, actor.PrincipalId, StringComparison.Ordinal) && actor.Caller.Can($"profiles:{op}:self"));

    /// <summary>
    /// Reads an <c>identityOverrides</c> member: keys <c>scope:&lt;ns&gt;</c> (the 0.31 <c>orgId</c>/<c>clientId</c> are
    /// <c>scope:org</c>/<c>scope:client</c>; both spellings of one key must agree), at most two, values per the scope-value grammar.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadOverrides(JsonElement element, string field = "identityOverrides")
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"{field} must be a JSON object.");
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var key = member.Name switch
            {
                "orgId" => "scope:org",
                "clientId" => "scope:client",
                var k when k.StartsWith("scope:", StringComparison.Ordinal) && OwnershipScopes.IsValidNamespace(k["scope:".Length..]) => k,
                _ => throw new ValidationException(field, $"{field}: keys are 'scope:<namespace>' (or the 0.31 'orgId'/'clientId'); userId and account ids cannot be overridden."),
            };

            if (member.Value.ValueKind != JsonValueKind.String || !OwnershipScopes.IsValidValue(member.Value.GetString()))
            {
                throw new ValidationException(field, $"{field}.{member.Name}: a value is 1-128 characters, a letter or digit first, then letters, digits, '_' or '-'.");
            }

            var value = member.Value.GetString()!;
            if (result.TryGetValue(key, out var existing) && !string.Equals(existing, value, StringComparison.Ordinal))
            {
                throw new ValidationException(field, $"{field}: '{key}' is given twice with different values.");
            }

            result[key] = value;
        }

        return result.Count <= MaxOverrides
            ? result
            : throw new ValidationException(field, $"{field} may hold at most {MaxOverrides} entries.");
    }

    private static bool Holds(AccessActor actor, string key, string value) =>
        actor.Identity.TryGetValue(key, out var mine) && string.Equals(mine, value, StringComparison.Ordinal);
}
