using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Tokens;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Checks a mint's ScopeRequest and normalises it to the 0.40 keys (<c>orgId</c> → <c>scope:org</c>,
/// <c>clientId</c> → <c>scope:client</c>, DESIGN §5a). Actions and placeholders go through the one grammar
/// (<see cref="ScopeGrammar"/>, <see cref="Placeholder"/>), narrowed to what a token may carry (API-DELTA §8.4); every
/// failure is a 400 naming the field.
/// </summary>
public static class TokenScopeReader
{
    /// <summary>Token resources: 0.40 (API-DELTA §8.4) plus the 0.31 <c>clients</c> and <c>orgs</c> (spec L9632).</summary>
    private static readonly HashSet<string> Resources = new(StringComparer.Ordinal)
    {
        "entities", "users", "documents", "folders", "records", "schemas", "search", "clients", "orgs",
    };

    public static TokenScope Read(ScopeRequest? scope)
    {
        if (scope is null)
        {
            throw new ValidationException("scope", "scope is required.");
        }

        if (scope.AllowedActions is not { Count: > 0 } actions)
        {
            throw new ValidationException("scope.allowedActions", "scope.allowedActions must list at least one action.");
        }

        for (var i = 0; i < actions.Count; i++)
        {
            CheckAction(actions[i], $"scope.allowedActions[{i}]");
        }

        return new TokenScope(actions.Distinct(StringComparer.Ordinal).ToList(), DataScope(scope.DataScope), Identity(scope.Identity));
    }

    /// <summary>A user id, when given: the 0.40 value grammar (a UUID passes it).</summary>
    public static string? UserId(string? userId) =>
        userId is null || OwnershipScopes.IsValidValue(userId)
            ? userId
            : throw new ValidationException("userId", "userId must be 1-128 letters, digits, '_' or '-', starting with a letter or digit.");

    /// <summary>
    /// One action, by the one grammar (<see cref="ScopeGrammar.ValidateAction"/>: ops, qualifiers, the 0.31 aliases), then
    /// the token's own limit: a token may name only the ScopeRequest resources (API-DELTA §8.4), so a mint can never
    /// carry <c>profiles</c>, <c>keys</c> and the like. <c>*</c> stays (0.31); an alias counts by what it means.
    /// </summary>
    private static void CheckAction(string? action, string field)
    {
        if (string.IsNullOrEmpty(action))
        {
            throw new ValidationException(field, $"{field} must be a non-empty action string.");
        }

        ScopeGrammar.ValidateAction(action, field);
        if (action == "*")
        {
            return;
        }

        var resource = (ScopeGrammar.LegacyVerbs.TryGetValue(action, out var meaning) ? meaning : action).Split(':')[0];
        if (!Resources.Contains(resource))
        {
            throw new ValidationException(field,
                $"{field} is not a token action: a token's resources are {string.Join(", ", Resources.Order(StringComparer.Ordinal))}.");
        }
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<string?>> DataScope(IReadOnlyDictionary<string, IReadOnlyList<string?>>? given)
    {
        var result = new Dictionary<string, IReadOnlyList<string?>>(StringComparer.Ordinal);
        foreach (var (rawKey, values) in given ?? new Dictionary<string, IReadOnlyList<string?>>())
        {
            var field = $"scope.dataScope.{rawKey}";
            var key = rawKey == "*" ? "*" : Key(rawKey, field);
            if (values is null)
            {
                throw new ValidationException(field, $"'{field}' must be an array of ids (null admits unowned items).");
            }

            foreach (var value in values)
            {
                if (value is not null && !OwnershipScopes.IsValidValue(value) && !IsPlaceholder(value))
                {
                    throw new ValidationException(field, $"'{field}' holds a value that is neither an id nor a known placeholder.");
                }
            }

            // Placeholders are kept in their canonical spelling, as roles and profiles store them.
            var canonical = values.Select(v => v is null ? null : Placeholder.TryParse(v)?.Text ?? v).Distinct().ToList();
            if (!result.TryAdd(key, canonical))
            {
                throw new ValidationException(field, $"'{field}' names the same dimension as another key.");
            }
        }

        return result;
    }

    private static IReadOnlyDictionary<string, string> Identity(IReadOnlyDictionary<string, string>? given)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawKey, value) in given ?? new Dictionary<string, string>())
        {
            var field = $"scope.identity.{rawKey}";
            var key = Key(rawKey, field);
            if (!OwnershipScopes.IsValidValue(value))
            {
                throw new ValidationException(field, $"'{field}' must be an id.");
            }

            if (!result.TryAdd(key, value))
            {
                throw new ValidationException(field, $"'{field}' names the same dimension as another key.");
            }
        }

        if (result.Keys.Count(k => k.StartsWith("scope:", StringComparison.Ordinal)) > OwnershipScopes.MaxEntries)
        {
            throw new ValidationException("scope.identity", $"scope.identity binds at most {OwnershipScopes.MaxEntries} scope: dimensions.");
        }

        return result;
    }

    /// <summary><c>userId</c>, <c>scope:&lt;ns&gt;</c>, or the 0.31 <c>orgId</c>/<c>clientId</c> (DESIGN §5a: <c>org</c> and <c>client</c> namespaces).</summary>
    private static string Key(string key, string field)
    {
        switch (key)
        {
            case "userId":
                return key;
            case "orgId":
                return "scope:" + OwnershipScopes.Org;
            case "clientId":
                return "scope:" + OwnershipScopes.Client;
        }

        if (key.StartsWith("scope:", StringComparison.Ordinal) && OwnershipScopes.IsValidNamespace(key[6..]))
        {
            return key;
        }

        throw new ValidationException(field, $"Unknown key in '{field}': use userId or scope:<namespace>.");
    }

    /// <summary>
    /// Any placeholder of the one grammar (<see cref="Placeholder.TryParse"/>, API-DELTA §8.4),
    /// <c>${{ member.scope.&lt;ns&gt;[:&lt;level&gt;] }}</c> included (its membership facts are resolved per request).
    /// </summary>
    private static bool IsPlaceholder(string value) => Placeholder.TryParse(value) is not null;
}
