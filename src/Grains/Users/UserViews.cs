using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.Records;
using Vectros.Grains.Security;
using Vectros.Grains.History;

namespace Vectros.Grains.Users;

/// <summary>Turns stored user rows into what callers and history rows may see (the record rules: mask, reveal, strip).</summary>
internal static class UserViews
{
    /// <summary>For callers without <c>users:s</c>: sensitive values are <c>[redacted]</c>; stray ciphertext never shows.</summary>
    public static UserView Masked(UserRow row, SensitiveFields sensitive) =>
        View(row, StoredPayload.Masked(row.StoredPayload, sensitive));

    public static UserView Revealed(UserRow row, SensitiveFields sensitive, TenantKeys keys, string tenantId) =>
        View(row, JsonSerializer.SerializeToElement(Plaintext(row, sensitive, keys, tenantId)));

    public static JsonObject Plaintext(UserRow row, SensitiveFields sensitive, TenantKeys? keys, string tenantId) =>
        StoredPayload.Plaintext(row.StoredPayload, sensitive, keys, (tenantId, "", "user", row.Id), row.TypeName);

    public static JsonObject Stripped(UserRow row, SensitiveFields sensitive) =>
        StoredPayload.Stripped(row.StoredPayload, sensitive);

    /// <summary>The user's full state for a history row, in the UserResponse shape (payload already stripped; never an invite token).</summary>
    public static JsonObject Snapshot(UserRow row, JsonObject strippedPayload) => SnapshotJson.WithoutNulls(new JsonObject
    {
        ["id"] = row.Id.ToString(),
        ["externalId"] = row.ExternalId,
        ["email"] = row.Email,
        ["status"] = row.Status,
        ["type"] = row.Type,
        ["role"] = row.Role,
        ["externalSubject"] = row.ExternalSubject,
        ["payload"] = strippedPayload.DeepClone(),
        ["schemaId"] = row.SchemaId?.ToString(),
        ["schemaVersion"] = row.SchemaVersion,
        ["createdAt"] = SnapshotJson.Timestamp(row.CreatedAt),
        ["updatedAt"] = SnapshotJson.Timestamp(row.UpdatedAt),
        ["version"] = row.Version,
    });

    /// <summary>The flat shape diffed between versions: the mutable members plus one <c>payload.&lt;name&gt;</c> per payload member.</summary>
    public static JsonObject DiffShape(UserRow row, JsonObject strippedPayload)
    {
        var shape = new JsonObject
        {
            ["email"] = row.Email,
            ["status"] = row.Status,
            ["type"] = row.Type,
            ["role"] = row.Role,
            ["externalSubject"] = row.ExternalSubject,
            ["schemaId"] = row.SchemaId?.ToString(),
            ["schemaVersion"] = row.SchemaVersion,
        };
        foreach (var (name, value) in strippedPayload)
        {
            shape["payload." + name] = value?.DeepClone();
        }

        return SnapshotJson.WithoutNulls(shape);
    }

    private static UserView View(UserRow row, JsonElement payload) => new()
    {
        Id = row.Id,
        ExternalId = row.ExternalId,
        Email = row.Email,
        Status = row.Status,
        Type = row.Type,
        Role = row.Role,
        Payload = payload,
        SchemaId = row.SchemaId,
        SchemaVersion = row.SchemaVersion,
        ExternalSubject = row.ExternalSubject,
        CreatedAt = row.CreatedAt,
        Version = row.Version,
    };

    /// <summary>Users are tenant-wide, so their ciphertext is bound to tenant, type, user and field (no context).</summary>
    internal static CipherBinding Binding(string tenantId, string typeName, Guid userId) => new(tenantId, "", "user", typeName, userId);
}
