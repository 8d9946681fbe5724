using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Security;
using Vectros.Grains.History;

namespace Vectros.Grains.Records;

/// <summary>Turns stored rows into what callers, history rows and tombstones may see.</summary>
public static class RecordViews
{
    public const string KindRecord = "record";

    /// <summary>The view for callers without the reveal grant: sensitive values are <c>[redacted]</c>.</summary>
    public static RecordView Masked(RecordRow row, SensitiveFields sensitive)
    {
        if (!sensitive.Any)
        {
            using var doc = JsonDocument.Parse(row.StoredPayload);
            return View(row, doc.RootElement.Clone());
        }

        var payload = JsonNode.Parse(row.StoredPayload)!.AsObject();
        sensitive.Mask(payload);
        return View(row, JsonSerializer.SerializeToElement(payload));
    }

    /// <summary>The view for a caller holding <c>records:s:&lt;type&gt;</c>: sensitive values decrypted.</summary>
    public static RecordView Revealed(RecordRow row, SensitiveFields sensitive, TenantKeys keys, string tenantId, string contextId) =>
        View(row, JsonSerializer.SerializeToElement(Plaintext(row, sensitive, keys, tenantId, contextId)));

    /// <summary>The stored payload with sensitive values decrypted (a fresh object the caller may change).</summary>
    public static JsonObject Plaintext(RecordRow row, SensitiveFields sensitive, TenantKeys? keys, string tenantId, string contextId) =>
        StoredPayload.Plaintext(row.StoredPayload, sensitive, keys, (tenantId, contextId, KindRecord, row.Id), row.TypeName);

    /// <summary>
    /// The record's full state for a history row or a tombstone: the RecordResponse shape, with the payload
    /// already stripped of sensitive members by the caller.
    /// </summary>
    public static JsonObject Snapshot(RecordRow row, JsonObject strippedPayload)
    {
        var snapshot = new JsonObject
        {
            ["id"] = row.Id.ToString(),
            ["typeName"] = row.TypeName,
            ["schemaId"] = row.SchemaId?.ToString(),
            ["schemaVersion"] = row.SchemaVersion,
            ["externalId"] = row.ExternalId,
            ["payload"] = strippedPayload.DeepClone(),
            ["status"] = row.Status,
            ["folderId"] = row.FolderId?.ToString(),
            ["userId"] = row.UserId?.ToString(),
            ["scopes"] = Scopes(row.Scopes),
            ["orgId"] = OwnershipScopes.LegacyId(row.Scopes, OwnershipScopes.Org)?.ToString(),
            ["clientId"] = OwnershipScopes.LegacyId(row.Scopes, OwnershipScopes.Client)?.ToString(),
            ["expiresAt"] = row.ExpiresAt is { } expires ? SnapshotJson.Timestamp(expires) : null,
            ["indexMode"] = row.IndexMode,
            ["indexStatus"] = row.IndexStatus,
            ["createdBy"] = row.CreatedBy,
            ["createdAt"] = SnapshotJson.Timestamp(row.CreatedAt),
            ["updatedAt"] = SnapshotJson.Timestamp(row.UpdatedAt),
            ["version"] = row.Version,
        };
        foreach (var name in snapshot.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            snapshot.Remove(name);
        }

        return snapshot;
    }

    /// <summary>
    /// The flat shape diffed between versions: mutable top-level members plus one <c>payload.&lt;name&gt;</c>
    /// entry per top-level payload member (sensitive members already stripped).
    /// </summary>
    public static JsonObject DiffShape(RecordRow row, JsonObject strippedPayload)
    {
        var shape = new JsonObject
        {
            ["status"] = row.Status,
            ["folderId"] = row.FolderId?.ToString(),
            ["userId"] = row.UserId?.ToString(),
            ["scopes"] = Scopes(row.Scopes),
            ["expiresAt"] = row.ExpiresAt is { } expires ? SnapshotJson.Timestamp(expires) : null,
            ["schemaVersion"] = row.SchemaVersion,
        };
        foreach (var (name, value) in strippedPayload)
        {
            shape["payload." + name] = value?.DeepClone();
        }

        foreach (var name in shape.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            shape.Remove(name);
        }

        return shape;
    }

    /// <summary>A tombstone in the RecordResponse shape: status DELETED, updatedAt = when it was deleted.</summary>
    public static RecordView FromTombstone(Guid id, string typeName, JsonObject snapshot, DateTimeOffset deletedAt)
    {
        var payload = snapshot["payload"] as JsonObject ?? [];
        return new RecordView
        {
            Id = id,
            TypeName = typeName,
            SchemaId = ParseGuid(snapshot["schemaId"]),
            SchemaVersion = snapshot["schemaVersion"]?.GetValue<int>(),
            ExternalId = snapshot["externalId"]?.GetValue<string>(),
            Payload = JsonSerializer.SerializeToElement(payload),
            Status = "DELETED",
            FolderId = ParseGuid(snapshot["folderId"]),
            UserId = ParseGuid(snapshot["userId"]),
            Scopes = SnapshotScopes(snapshot),
            ExpiresAt = snapshot["expiresAt"] is JsonValue e ? DateTimeOffset.Parse(e.GetValue<string>(), CultureInfo.InvariantCulture) : null,
            IndexMode = snapshot["indexMode"]?.GetValue<string>() ?? "NONE",
            IndexStatus = null,
            CreatedBy = snapshot["createdBy"]?.GetValue<string>() ?? "",
            CreatedAt = DateTimeOffset.Parse(snapshot["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture),
            UpdatedAt = deletedAt,
            Version = snapshot["version"]?.GetValue<long>() ?? 0,
        };
    }

    /// <summary>A tombstone's ownership, from its snapshot: what the data scope checks before it is shown.</summary>
    public static ItemOwnership OwnershipOf(JsonObject snapshot) =>
        CallerPlacement.Ownership(ParseGuid(snapshot["userId"]), SnapshotScopes(snapshot));

    /// <summary>Microsecond precision, as PostgreSQL stores it, so cached and reloaded rows agree.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>A cached view with the row's new processing state (the indexer's result), everything else as it was.</summary>
    public static RecordView WithIndexState(RecordView view, RecordRow row) => view with
    {
        IndexStatus = row.IndexStatus,
        IndexFailure = IndexFailureOf(row),
    };

    private static RecordView View(RecordRow row, JsonElement payload) => new()
    {
        Id = row.Id,
        TypeName = row.TypeName,
        SchemaId = row.SchemaId,
        SchemaVersion = row.SchemaVersion,
        ExternalId = row.ExternalId,
        Payload = payload,
        Status = row.Status,
        FolderId = row.FolderId,
        UserId = row.UserId,
        Scopes = row.Scopes,
        ExpiresAt = row.ExpiresAt,
        IndexMode = row.IndexMode,
        IndexStatus = row.IndexStatus,
        IndexFailure = IndexFailureOf(row),
        CreatedBy = row.CreatedBy,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        Version = row.Version,
    };

    private static JsonArray Scopes(IReadOnlyList<string> scopes) => new([.. scopes.Select(s => (JsonNode?)JsonValue.Create(s))]);

    /// <summary>Tombstones written before scopes existed carry orgId/clientId instead.</summary>
    private static IReadOnlyList<string> SnapshotScopes(JsonObject snapshot)
    {
        if (snapshot["scopes"] is JsonArray array)
        {
            return [.. array.Select(n => n!.GetValue<string>())];
        }

        var legacy = new List<string>();
        if (ParseGuid(snapshot["clientId"]) is { } client)
        {
            legacy.Add($"{OwnershipScopes.Client}:{client}");
        }

        if (ParseGuid(snapshot["orgId"]) is { } org)
        {
            legacy.Add($"{OwnershipScopes.Org}:{org}");
        }

        return legacy;
    }

    private static IndexFailure? IndexFailureOf(RecordRow row) =>
        row.IndexStatus == "FAILED" && row.IndexFailure is { } failure ? ParseFailure(failure) : null;

    private static IndexFailure ParseFailure(string json)
    {
        var node = JsonNode.Parse(json);
        return new IndexFailure(node?["code"]?.GetValue<string>() ?? "INTERNAL", node?["message"]?.GetValue<string>() ?? "Indexing failed.");
    }

    private static Guid? ParseGuid(JsonNode? node) =>
        node is JsonValue v && Guid.TryParse(v.GetValue<string>(), out var g) ? g : null;
}
