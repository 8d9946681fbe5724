using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Abstractions.Access;

/// <summary>
/// The wire and storage form of scope clauses: snake_case <c>allowed_actions</c>, <c>data_scope</c>,
/// <c>granted_capabilities</c> (spec ScopeClause L5680). Reading checks the shape only (400 naming the member);
/// <see cref="ScopeGrammar.ValidateClauses"/> checks the grammar. Reading from a <see cref="JsonElement"/> keeps a
/// repeated data_scope key visible, so it can be refused instead of silently keeping one of them.
/// </summary>
public static class ScopeClauseJson
{
    public static IReadOnlyList<ScopeClause> Read(JsonElement element, string field = "scopes")
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ValidationException(field, $"{field} must be an array of scope clauses.");
        }

        var clauses = new List<ScopeClause>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            clauses.Add(ReadClause(item, $"{field}[{i++}]"));
        }

        return clauses;
    }

    public static ScopeClause ReadClause(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(field, $"{field} must be a JSON object with allowed_actions.");
        }

        IReadOnlyList<string>? actions = null;
        var rules = new List<DataScopeRule>();
        IReadOnlyList<string> capabilities = [];
        foreach (var member in element.EnumerateObject())
        {
            switch (member.Name)
            {
                case "allowed_actions":
                    actions = Strings(member.Value, $"{field}.allowed_actions");
                    break;
                case "data_scope":
                    if (member.Value.ValueKind == JsonValueKind.Null)
                    {
                        break;
                    }

                    if (member.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw new ValidationException($"{field}.data_scope", $"{field}.data_scope must be a JSON object.");
                    }

                    foreach (var dimension in member.Value.EnumerateObject())
                    {
                        rules.Add(new DataScopeRule(dimension.Name, Values(dimension.Value, $"{field}.data_scope.{dimension.Name}")));
                    }

                    break;
                case "granted_capabilities":
                    capabilities = member.Value.ValueKind == JsonValueKind.Null ? [] : Strings(member.Value, $"{field}.granted_capabilities");
                    break;
                default:
                    throw new ValidationException($"{field}.{member.Name}", $"Unknown field '{field}.{member.Name}'.");
            }
        }

        return new ScopeClause(
            actions ?? throw new ValidationException($"{field}.allowed_actions", $"{field}.allowed_actions is required."), rules, capabilities);
    }

    /// <summary>Clauses as stored and returned; <c>granted_capabilities</c> only when the clause has some.</summary>
    public static JsonArray Write(IReadOnlyList<ScopeClause> clauses)
    {
        var array = new JsonArray();
        foreach (var clause in clauses)
        {
            var dataScope = new JsonObject();
            foreach (var rule in clause.DataScope)
            {
                dataScope[rule.Key] = new JsonArray(rule.Values.Select(v => v is null ? null : (JsonNode)JsonValue.Create(v)).ToArray());
            }

            var node = new JsonObject
            {
                ["allowed_actions"] = new JsonArray(clause.AllowedActions.Select(a => (JsonNode)JsonValue.Create(a)).ToArray()),
                ["data_scope"] = dataScope,
            };
            if (clause.GrantedCapabilities.Count > 0)
            {
                node["granted_capabilities"] = new JsonArray(clause.GrantedCapabilities.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
            }

            array.Add(node);
        }

        return array;
    }

    /// <summary>Reads clauses this server stored (already validated).</summary>
    public static IReadOnlyList<ScopeClause> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    private static IReadOnlyList<string> Strings(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            throw new ValidationException(field, $"{field} must be an array of strings.");
        }

        return element.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    /// <summary>A list of ids, nulls and placeholders. The spec's <c>type: object</c> is an artefact (DESIGN §5a): values are plain.</summary>
    private static IReadOnlyList<string?> Values(JsonElement element, string field)
    {
        if (element.ValueKind != JsonValueKind.Array
            || element.EnumerateArray().Any(e => e.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)))
        {
            throw new ValidationException(field, $"{field} must be an array of ids, null or ${{{{ … }}}} placeholders.");
        }

        return element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : e.GetString()).ToList();
    }
}
