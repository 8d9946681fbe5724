namespace Vectros.Grains.Abstractions.Records;

/// <summary>Limits the spec leaves to the implementation (stated in the README).</summary>
public static class RecordLimits
{
    /// <summary>
    /// Largest payload a record may hold, as UTF-8 JSON: 400 KB (409,600 bytes), the inline cap the spec implies
    /// for the STANDARD storage profile (L9206: "LARGE_PAYLOAD ... no 400 KB cap"). Payloads are never externalized.
    /// </summary>
    public const int MaxPayloadBytes = 400 * 1024;

    /// <summary>Deepest nesting of objects and arrays in a payload (the payload object itself is level 1).</summary>
    public const int MaxPayloadDepth = 32;

    /// <summary>
    /// Exact-match keys longer than this are stored as a SHA-256 digest (a btree entry must stay small); such
    /// string values still match exactly but take no part in range or prefix lookups.
    /// </summary>
    public const int MaxIndexedValueLength = 512;

    public const int MaxExternalIdLength = 256;

    /// <summary>Lifecycle states (0.40 §2): ARCHIVED leaves search and RAG but stays readable by id, lookup and list.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["ACTIVE", "ARCHIVED"];

    /// <summary>The least notice <c>expiresAt</c> may give (0.40 §2).</summary>
    public static readonly TimeSpan MinimumExpiryNotice = TimeSpan.FromMinutes(10);

    public const int MaxTypeNameLength = 128;
}
