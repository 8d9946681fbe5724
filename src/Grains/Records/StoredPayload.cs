using System.Text.Json;
using System.Text.Json.Nodes;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>
/// A payload as stored (JSON text, sensitive values as ciphertext markers) and the three ways out of storage every
/// payload-carrying item shares: masked for readers, decrypted for the reveal grant and for edits, stripped for
/// history and tombstones.
/// </summary>
public static class StoredPayload
{
    /// <summary>
    /// For callers without the reveal grant: sensitive values are <c>[redacted]</c>, and ciphertext the schema no longer
    /// names (a field made non-sensitive, a schema re-pointed) never shows.
    /// </summary>
    public static JsonElement Masked(string storedJson, SensitiveFields sensitive)
    {
        var payload = JsonNode.Parse(storedJson)!.AsObject();
        sensitive.Mask(payload);
        SensitiveFields.StripMarkers(payload);
        return JsonSerializer.SerializeToElement(payload);
    }

    /// <summary>The payload with sensitive values decrypted (a fresh object the caller may change).</summary>
    public static JsonObject Plaintext(
        string storedJson, SensitiveFields sensitive, TenantKeys? keys, (string TenantId, string ContextId, string Kind, Guid ItemId) place, string? typeName)
    {
        var payload = JsonNode.Parse(storedJson)!.AsObject();
        if (sensitive.Any)
        {
            sensitive.Decrypt(payload, keys ?? throw new InvalidOperationException("Tenant keys are needed to decrypt."), new CipherBinding(
                place.TenantId, place.ContextId, place.Kind,
                typeName ?? throw new InvalidOperationException("Only a schema-bound payload has sensitive fields."), place.ItemId));
        }

        return payload;
    }

    /// <summary>The payload with sensitive members (and any stray ciphertext) removed: what history may keep.</summary>
    public static JsonObject Stripped(string storedJson, SensitiveFields sensitive)
    {
        var payload = JsonNode.Parse(storedJson)!.AsObject();
        sensitive.Strip(payload);
        SensitiveFields.StripMarkers(payload);
        return payload;
    }

    /// <summary>A plaintext payload without its sensitive members (the input itself when there are none).</summary>
    public static JsonObject Strip(JsonObject plaintext, SensitiveFields sensitive)
    {
        if (!sensitive.Any)
        {
            return plaintext;
        }

        var copy = (JsonObject)plaintext.DeepClone();
        sensitive.Strip(copy);
        return copy;
    }
}
