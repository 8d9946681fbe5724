using System.Text.Json.Nodes;

namespace Vectros.Grains.Records;

/// <summary>RFC 7386 JSON Merge Patch: objects merge recursively, null deletes a member, anything else replaces.</summary>
public static class MergePatch
{
    /// <summary>Returns a new object: <paramref name="target"/> with <paramref name="patch"/> applied. Neither input is changed.</summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        var result = (JsonObject)target.DeepClone();
        Merge(result, patch);
        return result;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (name, value) in patch)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject patchObject)
            {
                if (target[name] is JsonObject existing)
                {
                    Merge(existing, patchObject);
                }
                else
                {
                    // RFC 7386: a non-object target is replaced by {} before the patch object is applied to it.
                    var fresh = new JsonObject();
                    Merge(fresh, patchObject);
                    target[name] = fresh;
                }
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }
}
