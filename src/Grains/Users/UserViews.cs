using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.Records;
using Vectros.Grains.Security;

namespace Vectros.Grains.Users;

/// <summary>Turns stored user rows into what callers and history rows may see (the record rules: mask, reveal, strip).</summary>
internal static class UserViews
{
    /// <summary>For callers without <c>users:s</c>: sensitive values are <c>[redacted]</c>; stray ciphertext never shows.</summary>
    public static UserView Masked(UserRow row, SensitiveFields sensitive)
    {
        var payload = JsonNode.Parse(row.StoredPayload)!.AsObject();
        sensitive.Mask(payload);
        SensitiveFields.StripMarkers(payload);
        return View(row, JsonSerializer.SerializeToElement(payload));
    }

    public static UserView Revealed(UserRow row, SensitiveFields sensitive, TenantKeys keys, string tenantId) =>
        View(row, JsonSerializer.SerializeToElement(Plaintext(row, sensitive, keys, tenantId)));

    public static JsonObject Plaintext(UserRow row, SensitiveFields sensitive, TenantKeys? keys, string tenantId)
    {
        var payload = JsonNode.Parse(row.StoredPayload)!.AsObject();
        if (sensitive.Any)
        {
            sensitive.Decrypt(payload, keys ?? throw new InvalidOperationException("Tenant keys are needed to decrypt."), tenantId, row.TypeName!);
        }

        return payload;
    }

    public static JsonObject Stripped(UserRow row, SensitiveFields sensitive)
    {
        var payload = JsonNode.Parse(row.StoredPayload)!.AsObject();
        sensitive.Strip(payload);
        SensitiveFields.StripMarkers(payload);
        return payload;
    }

    /// <summary>The user's full state for a history row, in the UserResponse shape (payload already stripped; never an invite token).</summary>
    public static JsonObject Snapshot(UserRow row, JsonObject strippedPayload) => WithoutNulls(new JsonObject
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
        ["createdAt"] = Format(row.CreatedAt),
        ["updatedAt"] = Format(row.UpdatedAt),
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

        return WithoutNulls(shape);
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

    private static JsonObject WithoutNulls(JsonObject obj)
    {
        foreach (var name in obj.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            obj.Remove(name);
        }

        return obj;
    }

    private static string Format(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
