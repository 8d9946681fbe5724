namespace Vectros.Grains.Security;

/// <summary>
/// Where a sensitive value lives: AES-GCM associated data for its ciphertext, so a ciphertext copied into another
/// tenant, context, item kind, type, item or field fails its integrity check instead of decrypting there.
/// Entities are tenant-wide, so their context is empty.
/// </summary>
public sealed record CipherBinding(string TenantId, string ContextId, string Kind, string TypeName, Guid ItemId)
{
    /// <summary>The associated data of the current format (<c>v2.</c>).</summary>
    public string For(string fieldId) => $"v2|{TenantId}|{ContextId}|{Kind}|{TypeName}|{ItemId:D}|{fieldId}";

    /// <summary>
    /// The associated data of values written before the binding covered context and item (<c>v1.</c>): tenant, type
    /// and field only. Still read, never written; an item's next write re-encrypts its values in the current format.
    /// </summary>
    public string Legacy(string fieldId) => $"{TenantId}|{TypeName}|{fieldId}";
}
