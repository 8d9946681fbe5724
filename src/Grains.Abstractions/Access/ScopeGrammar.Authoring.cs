using System.Text.RegularExpressions;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>Authoring rules: what a role, profile, invite or token may store (API-DELTA §8.4). Every failure is a 400.</summary>
public static partial class ScopeGrammar
{
    public const int MaxClauses = 50;
    public const int MaxActions = 100;
    public const int MaxValues = 100;

    /// <summary>The closed capability set of 0.40; <c>*</c> is not a name.</summary>
    public static readonly IReadOnlySet<string> Capabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "member-lifecycle", "forensic-read", "context-directory-read", "delegate-mint",
    };

    /// <summary>
    /// Resources an action may name, and the op letters each accepts. <c>s</c> (reveal) exists only where items carry
    /// sensitive fields. <c>orgs</c>/<c>clients</c> serve the 0.31 views of the org and client namespaces.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> ResourceOps = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["records"] = "cruds",
        ["entities"] = "cruds",
        ["documents"] = "cruds",
        ["users"] = "cruds",
        ["folders"] = "crud",
        ["schemas"] = "crud",
        ["profiles"] = "crud",
        ["app-contexts"] = "crud",
        ["namespaces"] = "crud",
        ["issuers"] = "crd",
        ["keys"] = "crd",
        ["orgs"] = "crud",
        ["clients"] = "crud",
        ["logs"] = "r",
        ["access-log"] = "r",
        ["billing"] = "r",
        ["search"] = "r",
        ["inference"] = "r",
    };

    /// <summary>
    /// Checks one <c>allowed_actions</c> entry and returns it as stored (legacy verbs are kept as written and mean
    /// their <see cref="LegacyVerbs"/> equivalent). Qualifiers: records and entities on every op; documents and users
    /// on <c>s</c> only; profiles on c, u, d only, as <c>usr_&lt;id&gt;</c> or <c>self</c>; nothing else.
    /// </summary>
    public static string ValidateAction(string action, string field = "allowed_actions")
    {
        if (action == "*" || LegacyVerbs.ContainsKey(action))
        {
            return action;
        }

        var parts = action.Split(':', 3);
        if (parts.Length < 2)
        {
            throw new ValidationException(field,
                $"{field}: each entry is '*' or 'resource:ops[:qualifier]' with ops from c, r, u, d, s (e.g. 'records:cru:memory').");
        }

        var (resource, ops) = (parts[0], parts[1]);
        if (!ResourceOps.TryGetValue(resource, out var allowed))
        {
            throw new ValidationException(field, $"{field}: unknown resource '{Shorten(resource)}'; known resources are {string.Join(", ", ResourceOps.Keys)}.");
        }

        var letters = LegacyOps.TryGetValue(ops, out var word) ? word : ops;
        if (letters.Length == 0 || letters.Distinct().Count() != letters.Length || !letters.All(c => allowed.Contains(c, StringComparison.Ordinal)))
        {
            throw new ValidationException(field, $"{field}: '{resource}' takes ops from {string.Join(", ", allowed.ToCharArray())}, each at most once.");
        }

        if (parts.Length == 3)
        {
            CheckQualifier(resource, letters, parts[2], field);
        }

        return action;
    }

    /// <summary>
    /// Checks a whole clause and returns it normalised (placeholders spelled <c>${{ expr }}</c>, capabilities deduplicated).
    /// <paramref name="membershipLevels"/> maps each namespace that declares membership to its declared levels (empty when it
    /// declares none); a <c>${{ member.scope.&lt;ns&gt;[:level] }}</c> naming anything else is refused here, at authoring.
    /// </summary>
    public static ScopeClause ValidateClause(ScopeClause clause, IReadOnlyDictionary<string, IReadOnlyList<string>> membershipLevels, string field = "scopes")
    {
        var actionsField = $"{field}.allowed_actions";
        if (clause.AllowedActions.Count == 0)
        {
            throw new ValidationException(actionsField, $"{actionsField} must name at least one action.");
        }

        if (clause.AllowedActions.Count > MaxActions)
        {
            throw new ValidationException(actionsField, $"{actionsField} may hold at most {MaxActions} entries.");
        }

        var actions = clause.AllowedActions.Select(a => ValidateAction(a, actionsField)).Distinct(StringComparer.Ordinal).ToList();
        var rules = ValidateDataScope(clause.DataScope, membershipLevels, $"{field}.data_scope");
        var capabilities = ValidateCapabilities(clause.GrantedCapabilities, $"{field}.granted_capabilities");
        return new ScopeClause(actions, rules, capabilities);
    }

    /// <summary>Validates every clause; <paramref name="field"/> names the list (e.g. <c>scopes</c>).</summary>
    public static IReadOnlyList<ScopeClause> ValidateClauses(
        IReadOnlyList<ScopeClause> clauses, IReadOnlyDictionary<string, IReadOnlyList<string>> membershipLevels, string field = "scopes")
    {
        if (clauses.Count > MaxClauses)
        {
            throw new ValidationException(field, $"{field} may hold at most {MaxClauses} clauses.");
        }

        return clauses.Select((c, i) => ValidateClause(c, membershipLevels, $"{field}[{i}]")).ToList();
    }

    /// <summary>The namespaces whose membership declarations the clauses' <c>${{ member.scope.… }}</c> placeholders need.</summary>
    public static IReadOnlyList<string> MembershipNamespaces(IEnumerable<ScopeClause> clauses) =>
        clauses.SelectMany(c => c.DataScope).SelectMany(r => r.Values)
            .Select(v => v is null ? null : Placeholder.TryParse(v))
            .Where(p => p is { Kind: PlaceholderKind.Member })
            .Select(p => p!.Namespace!)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<string> ValidateCapabilities(IReadOnlyList<string> capabilities, string field = "granted_capabilities")
    {
        foreach (var name in capabilities)
        {
            if (name == "*")
            {
                throw new ValidationException(field, $"{field}: '*' is not a capability; name each one ({string.Join(", ", Capabilities)}).");
            }

            if (!Capabilities.Contains(name))
            {
                throw new ValidationException(field, $"{field}: unknown capability '{Shorten(name)}'; known capabilities are {string.Join(", ", Capabilities)}.");
            }
        }

        return capabilities.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IReadOnlyList<DataScopeRule> ValidateDataScope(
        IReadOnlyList<DataScopeRule> rules, IReadOnlyDictionary<string, IReadOnlyList<string>> membershipLevels, string field)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<DataScopeRule>(rules.Count);
        foreach (var rule in rules)
        {
            var key = rule.Key;
            switch (key)
            {
                case "orgId":
                    throw new ValidationException(field, $"{field}: 'orgId' is no longer a data_scope key; use 'scope:org'.");
                case "clientId":
                    throw new ValidationException(field, $"{field}: 'clientId' is no longer a data_scope key; use 'scope:client'.");
                case "userId" or "*":
                    break;
                default:
                    if (!key.StartsWith("scope:", StringComparison.Ordinal) || !OwnershipScopes.IsValidNamespace(key["scope:".Length..]))
                    {
                        throw new ValidationException(field, $"{field}: keys are 'userId', 'scope:<namespace>' or '*' (got '{Shorten(key)}').");
                    }

                    break;
            }

            if (!seen.Add(key))
            {
                throw new ValidationException(field, $"{field}: the key '{key}' appears more than once.");
            }

            if (rule.Values.Count > MaxValues)
            {
                throw new ValidationException(field, $"{field}.{key} may hold at most {MaxValues} values.");
            }

            var values = rule.Values.Select(v => ValidateValue(v, membershipLevels, $"{field}.{key}")).Distinct().ToList();
            result.Add(new DataScopeRule(key, values));
        }

        return result;
    }

    private static string? ValidateValue(string? value, IReadOnlyDictionary<string, IReadOnlyList<string>> membershipLevels, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Contains("${{", StringComparison.Ordinal) || value.Contains("}}", StringComparison.Ordinal))
        {
            var placeholder = Placeholder.TryParse(value) ?? throw new ValidationException(field,
                $"{field}: unknown placeholder; allowed are ${{{{ any }}}}, ${{{{ self.userId }}}}, ${{{{ self.scope.<ns> }}}}, ${{{{ under.self.userId }}}}, " +
                "${{ under.self.scope.<ns> }} and ${{ member.scope.<ns>[:<level>] }}.");
            if (placeholder.Kind == PlaceholderKind.Member)
            {
                if (!membershipLevels.TryGetValue(placeholder.Namespace!, out var levels))
                {
                    throw new ValidationException(field, $"{field}: namespace '{placeholder.Namespace}' declares no membership.");
                }

                if (placeholder.Level is { } level && !levels.Contains(level, StringComparer.Ordinal))
                {
                    throw new ValidationException(field, $"{field}: namespace '{placeholder.Namespace}' declares no membership level '{Shorten(level)}'.");
                }
            }

            return placeholder.Text;
        }

        return OwnershipScopes.IsValidValue(value)
            ? value
            : throw new ValidationException(field, $"{field}: a value is an id (1-128 characters: letters, digits, '_' or '-'), null, or a ${{{{ … }}}} placeholder.");
    }

    private static void CheckQualifier(string resource, string ops, string qualifier, string field)
    {
        switch (resource)
        {
            case "records" or "entities":
                if (!QualifierPattern().IsMatch(qualifier))
                {
                    throw new ValidationException(field, $"{field}: '{resource}' qualifiers are a type or namespace name (letters, digits, '_', '-', '.').");
                }

                return;
            case "documents" or "users":
                if (ops != "s")
                {
                    throw new ValidationException(field, $"{field}: '{resource}' takes a qualifier on 's' only (e.g. '{resource}:s:<type>').");
                }

                if (!QualifierPattern().IsMatch(qualifier))
                {
                    throw new ValidationException(field, $"{field}: '{resource}' qualifiers are a type name.");
                }

                return;
            case "profiles":
                if (ops.Any(c => c is not ('c' or 'u' or 'd')))
                {
                    throw new ValidationException(field, $"{field}: 'profiles' takes a qualifier on c, u or d only.");
                }

                if (qualifier != "self" && !PrincipalIds.IsUser(qualifier))
                {
                    throw new ValidationException(field, $"{field}: a 'profiles' qualifier is 'usr_<id>' or 'self'.");
                }

                return;
            default:
                throw new ValidationException(field, $"{field}: '{resource}' takes no qualifier.");
        }
    }

    /// <summary>Echoes at most a short prefix of user input in a message.</summary>
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex QualifierPattern();
}
