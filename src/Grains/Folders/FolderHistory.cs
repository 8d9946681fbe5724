using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Folders;
using Vectros.Grains.History;

namespace Vectros.Grains.Folders;

/// <summary>
/// How a folder appears in its history: the prior state as a snapshot (spec ModelDataVersionResponse
/// previousContent) and the field diff. Folders hold no sensitive fields, so nothing needs removing.
/// </summary>
internal static class FolderHistory
{
    public static VersionEntry Entry(
        string tenantId, string contextId, string changeType, FolderView? before, FolderView? after, string? reason, string changedBy, DateTimeOffset at) =>
        new(
            tenantId,
            contextId,
            FolderRules.EntityKind,
            (before ?? after)!.Id.ToString(),
            changeType,
            before?.Version,
            before is null ? null : Snapshot(before),
            VersionDiff.Compute(before is null ? null : Content(before), after is null ? null : Content(after)),
            reason,
            changedBy,
            at);

    /// <summary>The full state, in the response's field names.</summary>
    private static JsonObject Snapshot(FolderView v)
    {
        var snapshot = new JsonObject { ["id"] = v.Id.ToString() };
        foreach (var (name, value) in Content(v))
        {
            snapshot[name] = value?.DeepClone();
        }

        snapshot["createdAt"] = SnapshotJson.Timestamp(v.CreatedAt);
        snapshot["lastModified"] = SnapshotJson.Timestamp(v.LastModified);
        snapshot["version"] = v.Version;
        return snapshot;
    }

    /// <summary>What a diff compares: the folder's fields without its bookkeeping (timestamps, version).</summary>
    private static JsonObject Content(FolderView v)
    {
        var content = new JsonObject { ["name"] = v.Name };
        Add(content, "description", v.Description);
        content["slug"] = v.Slug;
        Add(content, "parentFolderId", v.ParentFolderId?.ToString());
        content["depth"] = v.Depth;
        content["isProtected"] = v.IsProtected;
        Add(content, "userId", v.UserId?.ToString());
        // Scopes are always present, so a change to or from none shows in the diff.
        content["scopes"] = new JsonArray([.. v.Scopes.Select(s => (JsonNode?)JsonValue.Create(s))]);
        return content;
    }

    private static void Add(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }
}
