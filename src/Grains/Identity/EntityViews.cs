using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Records;
using Vectros.Grains.Security;
using Vectros.Grains.History;

namespace Vectros.Grains.Identity;

/// <summary>Turns stored entity rows into what callers and history rows may see (the record rules: mask, reveal, strip).</summary>
internal static class EntityViews
{
    /// <summary>For callers without the reveal grant: sensitive values are <c>[redacted]</c>; stray ciphertext never shows.</summary>
    public static EntityView Masked(EntityRow row, SensitiveFields sensitive) =>
        View(row, StoredPayload.Masked(row.StoredPayload, sensitive));

    /// <summary>For a caller holding <c>entities:s:&lt;ns&gt;</c>: sensitive values decrypted.</summary>
    public static EntityView Revealed(EntityRow row, SensitiveFields sensitive, TenantKeys keys, string tenantId) =>
        View(row, JsonSerializer.SerializeToElement(Plaintext(row, sensitive, keys, tenantId)));

    /// <summary>The stored payload with sensitive values decrypted (a fresh object the caller may change).</summary>
    public static JsonObject Plaintext(EntityRow row, SensitiveFields sensitive, TenantKeys? keys, string tenantId) =>
        StoredPayload.Plaintext(row.StoredPayload, sensitive, keys, (tenantId, "", "entity", row.Id), row.TypeName);

    /// <summary>The stored payload with sensitive members (and any ciphertext) removed, for history.</summary>
    public static JsonObject Stripped(EntityRow row, SensitiveFields sensitive) =>
        StoredPayload.Stripped(row.StoredPayload, sensitive);

    /// <summary>The entity's full state for a history row, in the EntityResponse shape (payload already stripped).</summary>
    public static JsonObject Snapshot(EntityRow row, JsonObject strippedPayload) => SnapshotJson.WithoutNulls(new JsonObject
    {
        ["id"] = row.Id.ToString(),
        ["namespace"] = row.Namespace,
        ["externalId"] = row.ExternalId,
        ["name"] = row.Name,
        ["status"] = row.Status,
        ["payload"] = strippedPayload.DeepClone(),
        ["schemaId"] = row.SchemaId?.ToString(),
        ["schemaVersion"] = row.SchemaVersion,
        ["scopes"] = new JsonArray([.. row.Scopes.Select(s => (JsonNode?)s)]),
        ["userId"] = row.UserId?.ToString(),
        ["createdAt"] = SnapshotJson.Timestamp(row.CreatedAt),
        ["updatedAt"] = SnapshotJson.Timestamp(row.UpdatedAt),
        ["version"] = row.Version,
    });

    /// <summary>The flat shape diffed between versions: the mutable members plus one <c>payload.&lt;name&gt;</c> per payload member.</summary>
    public static JsonObject DiffShape(EntityRow row, JsonObject strippedPayload)
    {
        var shape = new JsonObject
        {
            ["name"] = row.Name,
            ["status"] = row.Status,
            ["scopes"] = new JsonArray([.. row.Scopes.Select(s => (JsonNode?)s)]),
            ["schemaId"] = row.SchemaId?.ToString(),
            ["schemaVersion"] = row.SchemaVersion,
        };
        foreach (var (name, value) in strippedPayload)
        {
            shape["payload." + name] = value?.DeepClone();
        }

        return SnapshotJson.WithoutNulls(shape);
    }

    private static EntityView View(EntityRow row, JsonElement payload) => new()
    {
        Id = row.Id,
        Namespace = row.Namespace,
        ExternalId = row.ExternalId,
        Name = row.Name,
        Status = row.Status,
        Payload = payload,
        SchemaId = row.SchemaId,
        SchemaVersion = row.SchemaVersion,
        Scopes = row.Scopes,
        UserId = row.UserId,
        CreatedAt = row.CreatedAt,
        UpdatedAt = row.UpdatedAt,
        Version = row.Version,
    };

    /// <summary>Entities are tenant-wide, so their ciphertext is bound to tenant, type, entity and field (no context).</summary>
    internal static CipherBinding Binding(string tenantId, string typeName, Guid entityId) => new(tenantId, "", "entity", typeName, entityId);
}
