using System.Text.Json.Nodes;

namespace Vectros.Grains.History;

/// <summary>
/// Field-level diff between two flat snapshots (spec ModelChanges). Callers pass snapshots that have already
/// had sensitive fields removed, and list those names in <c>excluded</c> as a second guard.
/// </summary>
public static class VersionDiff
{
    public static JsonObject Compute(JsonObject? before, JsonObject? after, IReadOnlySet<string>? excluded = null)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var kv in before ?? []) names.Add(kv.Key);
        foreach (var kv in after ?? []) names.Add(kv.Key);

        var fields = new JsonArray();
        var details = new JsonObject();
        foreach (var name in names)
        {
            if (excluded?.Contains(name) == true)
            {
                continue;
            }

            var source = before?[name];
            var target = after?[name];
            if (JsonNode.DeepEquals(source, target))
            {
                continue;
            }

            fields.Add(name);
            details[name] = new JsonObject
            {
                ["name"] = name,
                ["sourceVal"] = source?.DeepClone(),
                ["targetVal"] = target?.DeepClone(),
            };
        }

        var list = fields.Select(f => f!.GetValue<string>()).ToList();
        return new JsonObject
        {
            ["summary"] = list.Count == 0 ? "No field changes" : "Changed: " + string.Join(", ", list),
            ["fields"] = fields,
            ["count"] = list.Count,
            ["details"] = details,
        };
    }
}
