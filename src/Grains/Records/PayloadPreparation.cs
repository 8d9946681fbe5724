using System.Text.Json.Nodes;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Security;

namespace Vectros.Grains.Records;

/// <summary>A plaintext payload turned into what is stored, indexed for lookups, and kept in history.</summary>
/// <param name="StoredJson">The payload as stored: sensitive values encrypted.</param>
/// <param name="Lookups">Its lookup rows (sensitive values blind-indexed).</param>
/// <param name="Stripped">The plaintext without its sensitive members, for history and diffs.</param>
public sealed record PreparedPayload(string StoredJson, IReadOnlyList<LookupRow> Lookups, JsonObject Stripped);

/// <summary>
/// Validation, lookup rows and encryption of a payload against its schema, the same for every item that binds one
/// (records add their reference rows on top). A null schema (a schemaless document) only gets the size, depth and
/// number caps.
/// </summary>
public static class PayloadPreparation
{
    /// <param name="place">Tenant, context, kind and item the payload belongs to (its type comes from the schema).</param>
    public static async Task<PreparedPayload> PrepareAsync(SchemaView? schema, JsonObject plaintext, TenantKeyring keyring, (string TenantId, string ContextId, string Kind, Guid ItemId) place)
    {
        if (schema is null)
        {
            var bare = PayloadValidator.CheckSizeAndDepth(plaintext);
            NumberLimits.CheckPayload(plaintext);
            return new PreparedPayload(bare, [], plaintext);
        }

        var json = PayloadValidator.Validate(schema, plaintext);
        var sensitive = SensitiveFields.Of(schema);
        var keys = sensitive.Any ? await keyring.GetAsync(place.TenantId) : null;
        var lookups = LookupRowBuilder.Build(schema, plaintext, keys);
        if (!sensitive.Any)
        {
            return new PreparedPayload(json, lookups, plaintext);
        }

        var stored = (JsonObject)plaintext.DeepClone();
        sensitive.Encrypt(stored, keys!, new CipherBinding(place.TenantId, place.ContextId, place.Kind, schema.TypeName, place.ItemId));
        return new PreparedPayload(stored.ToJsonString(), lookups, StoredPayload.Strip(plaintext, sensitive));
    }
}
