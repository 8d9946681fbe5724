using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Tokens;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Checks a mint's ScopeRequest and normalises it to the 0.40 keys (<c>orgId</c> → <c>scope:org</c>,
/// <c>clientId</c> → <c>scope:client</c>, DESIGN §5a). Deliberately thin: the actions' grammar is the one of
/// <see cref="ScopeGrammar"/> (API-DELTA §8.4, token resources), and the clause validator the access work adds to
/// it should replace <see cref="CheckAction"/> when it lands.
/// </summary>
public static class TokenScopeReader
{
    /// <summary>Token resources: 0.40 (API-DELTA §8.4) plus the 0.31 <c>clients</c> and <c>orgs</c> (spec L9632).</summary>
    private static readonly HashSet<string> Resources = new(StringComparer.Ordinal)
    {
        "entities", "users", "documents", "folders", "records", "schemas", "search", "clients", "orgs",
    };

    private static readonly HashSet<string> Placeholders = new(StringComparer.Ordinal)
    {
        "${{ any }}", "${{ self.userId }}", "${{ under.self.userId }}",
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

    private static void CheckAction(string? action, string field)
    {
        if (action is "*")
        {
            return;
        }

        var parts = (action ?? "").Split(':');
        var ops = parts.Length is 2 or 3 ? parts[1] : "";
        var validOps = ops is "crud" or "read" or "write" or "delete"
            || (ops.Length is > 0 and <= 5 && ops.All(c => "crudsw".Contains(c, StringComparison.Ordinal)) && ops.Distinct().Count() == ops.Length);
        if (parts.Length is not (2 or 3) || !Resources.Contains(parts[0]) || !validOps)
        {
            throw new ValidationException(field,
                $"{field} is not a token action: use resource:ops[:qualifier] with ops from c, r, u, d, s and a resource among {string.Join(", ", Resources.Order(StringComparer.Ordinal))}.");
        }

        if (parts.Length == 3)
        {
            // Qualifiers: records and entities on every op; documents and users on s only (API-DELTA §8.4).
            var qualifies = parts[0] is "records" or "entities" || (parts[0] is "documents" or "users" && ops == "s");
            if (!qualifies || !OwnershipScopes.IsValidValue(parts[2]))
            {
                throw new ValidationException(field, $"{field} has a qualifier that {parts[0]}:{ops} does not take.");
            }
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

            if (!result.TryAdd(key, values.Distinct().ToList()))
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

    /// <summary>Any placeholder of the one grammar (API-DELTA §8.4), <c>${{ member.scope.&lt;ns&gt;[:&lt;level&gt;] }}</c> included.</summary>
    private static bool IsPlaceholder(string value) =>
        Placeholder.TryParse(value) is not null ||
        Placeholders.Contains(value)
        || (value.StartsWith("${{ ", StringComparison.Ordinal) && value.EndsWith(" }}", StringComparison.Ordinal)
            && value[4..^3] is var inner
            && (inner.StartsWith("self.scope.", StringComparison.Ordinal) && OwnershipScopes.IsValidNamespace(inner[11..])
                || inner.StartsWith("under.self.scope.", StringComparison.Ordinal) && OwnershipScopes.IsValidNamespace(inner[17..])));
}
