namespace Vectros.Grains.Records;

/// <summary>How a reference field's values are matched against the target type's records.</summary>
public enum ReferenceMatch
{
    /// <summary><c>records.external_id</c> (the spec's default targetField).</summary>
    ExternalId,

    /// <summary><c>records.record_id</c> (targetField <c>id</c>).</summary>
    Id,

    /// <summary>A unique lookup field of the target schema (its <c>record_lookups</c> rows).</summary>
    UniqueLookup,
}

/// <summary>
/// One reference field of a record being written, resolved at write time inside the write batch: every key
/// must match a record of <see cref="TargetType"/> in the same context, else the write is a 400 on
/// <see cref="Field"/>. <see cref="Keys"/> are distinct: external ids, record ids (as text) or stored lookup keys.
/// </summary>
public sealed record ReferenceTarget(string Field, string TargetType, ReferenceMatch Match, string? LookupField, IReadOnlyList<string> Keys);
