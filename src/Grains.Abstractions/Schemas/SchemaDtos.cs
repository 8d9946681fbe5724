using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Orleans;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>Spec FieldDef (L8834). Names mirror the wire so the definition round-trips unchanged.</summary>
[GenerateSerializer, Immutable, Alias("vectros.FieldDefinition")]
public sealed record FieldDefinition
{
    [Id(0)]
    public required string FieldId { get; init; }

    /// <summary>string | number | boolean | date | enum | array | object | reference.</summary>
    [Id(1)]
    public required string FieldType { get; init; }

    [Id(2)]
    public bool? Required { get; init; }

    [Id(3)]
    public bool? Searchable { get; init; }

    [Id(4)]
    public bool? Filterable { get; init; }

    [Id(5)]
    public string? Description { get; init; }

    /// <summary>Rules: <c>minLength</c>, <c>maxLength</c>, <c>min</c>/<c>minimum</c>, <c>max</c>/<c>maximum</c>, <c>pattern</c>, <c>minItems</c>, <c>maxItems</c>.</summary>
    [Id(6)]
    public JsonObject? Validation { get; init; }

    /// <summary>Allowed values of an enum field (the spec types the items as objects; scalars are accepted).</summary>
    [Id(7)]
    public JsonArray? EnumValues { get; init; }

    [Id(8)]
    public string? TargetTypeName { get; init; }

    [Id(9)]
    public string? TargetField { get; init; }

    /// <summary>one | many.</summary>
    [Id(10)]
    public string? Cardinality { get; init; }

    /// <summary>record | document | user | org | client.</summary>
    [Id(11)]
    public string? TargetSurface { get; init; }

    [Id(12)]
    public bool? Sensitive { get; init; }
}

/// <summary>
/// Spec LookupDef (L8922) plus the 0.40 composite form: exactly one of <see cref="FieldName"/> and
/// <see cref="FieldNames"/> (API-DELTA §4). The request may also give a bare field name; it is normalised to this.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.LookupDefinition")]
public sealed record LookupDefinition
{
    /// <summary>The one field of a single-field lookup; absent on a composite.</summary>
    [Id(0)]
    public string? FieldName { get; init; }

    [Id(1)]
    public bool? Unique { get; init; }

    [Id(2)]
    public bool? RangeEnabled { get; init; }

    [Id(3)]
    public string? SortBy { get; init; }

    [Id(4)]
    public bool? AllowOverflow { get; init; }

    /// <summary>0.40 composite lookup: 2–3 field ids, in a locked order (the order is part of its identity).</summary>
    [Id(5)]
    public IReadOnlyList<string>? FieldNames { get; init; }

    /// <summary>
    /// The lookup's identity: its field name, or a composite's ordered field ids joined with commas, which is also
    /// how a record lookup names it (<c>field=status,area</c>) and the <c>field</c> its index rows carry.
    /// </summary>
    [JsonIgnore]
    public string Key => FieldName ?? (FieldNames is { } names ? string.Join(',', names) : "");

    [JsonIgnore]
    public bool IsComposite => FieldNames is not null && FieldName is null;

    /// <summary>The field ids the lookup covers, in order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Fields => FieldNames ?? (FieldName is null ? [] : [FieldName]);
}

/// <summary>Everything about a schema a client can set (spec SchemaRequest minus typeName and owners).</summary>
[GenerateSerializer, Immutable, Alias("vectros.SchemaDefinition")]
public sealed record SchemaDefinition
{
    [Id(0)]
    public required string DisplayName { get; init; }

    [Id(1)]
    public string? Description { get; init; }

    [Id(2)]
    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    [Id(3)]
    public IReadOnlyList<LookupDefinition> LookupFields { get; init; } = [];

    /// <summary>fieldId → RenderHintDef, kept as given (it only drives UIs).</summary>
    [Id(4)]
    public JsonObject? RenderHints { get; init; }

    /// <summary>auditHistory (default true), readAccessLog (default false), other flags kept as given.</summary>
    [Id(5)]
    public IReadOnlyDictionary<string, bool> Capabilities { get; init; } = new Dictionary<string, bool>();

    [Id(6)]
    public string? IndexMode { get; init; }

    [Id(7)]
    public string? StorageProfile { get; init; }

    [Id(8)]
    public IReadOnlyList<string> AllowedSurfaces { get; init; } = ["record"];

    [Id(9)]
    public bool Active { get; init; } = true;

    [Id(10)]
    public Guid? UserId { get; init; }

    /// <summary>Ownership scopes (0.40; the 0.31 orgId/clientId are the org/client entries). Null or [] = shared.</summary>
    [Id(13)]
    public IReadOnlyList<string>? Scopes { get; init; }

    /// <summary>
    /// 0.40 <c>basedOn</c>: the id of the base schema of the same type name that this variant customises for its
    /// owner (one hop; null on a base). Set on create, immutable afterwards (issue #7 item 5).
    /// </summary>
    [Id(14)]
    public Guid? BasedOn { get; init; }

    /// <summary>Whether records of this type keep version history (schema history itself is always kept, spec L4405).</summary>
    [JsonIgnore]
    public bool AuditHistory => !Capabilities.TryGetValue("auditHistory", out var on) || on;

    /// <summary>Whether records of this type may carry <c>expiresAt</c> (0.40 <c>capabilities.ttlEligible</c>, default false).</summary>
    [JsonIgnore]
    public bool TtlEligible => Capabilities.TryGetValue("ttlEligible", out var on) && on;

    /// <summary>
    /// Whether every governed read of this type writes a read-access row (spec <c>capabilities.readAccessLog</c>,
    /// opt-in, default false). Reads that return a sensitive field are logged whatever this says (issue #9 item 8).
    /// </summary>
    [JsonIgnore]
    public bool ReadAccessLog => Capabilities.TryGetValue("readAccessLog", out var on) && on;
}

/// <summary>A schema as stored: identity, the definition and its public revision.</summary>
[GenerateSerializer, Immutable, Alias("vectros.SchemaView")]
public sealed record SchemaView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string ContextId,
    [property: Id(3)] string TypeName,
    [property: Id(4)] SchemaDefinition Definition,
    [property: Id(5)] int SchemaVersion,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt)
{
    public FieldDefinition? Field(string fieldId) =>
        Definition.Fields.FirstOrDefault(f => string.Equals(f.FieldId, fieldId, StringComparison.Ordinal));

    /// <summary>The lookup with this identity: a field name, or a composite's comma-joined field ids.</summary>
    public LookupDefinition? Lookup(string key) =>
        Definition.LookupFields.FirstOrDefault(l => string.Equals(l.Key, key, StringComparison.Ordinal));

    public bool IsSensitive(string fieldId) => Field(fieldId)?.Sensitive == true;

    /// <summary>Whether the schema declares fields; a bare schema (none) performs no payload validation.</summary>
    public bool IsBare => Definition.Fields.Count == 0;

    /// <summary>The grain name of this schema: the type name for a base, <c>typeName~id</c> for a variant.</summary>
    public string GrainName => Definition.BasedOn is null ? TypeName : SchemaKeys.Variant(TypeName, Id);
}

/// <summary>Result of an idempotent create (201 vs 200).</summary>
[GenerateSerializer, Immutable, Alias("vectros.SchemaCreateResult")]
public sealed record SchemaCreateResult([property: Id(0)] SchemaView Schema, [property: Id(1)] bool Created);

/// <summary>A page of schemas.</summary>
[GenerateSerializer, Immutable, Alias("vectros.SchemaPage")]
public sealed record SchemaPage([property: Id(0)] IReadOnlyList<SchemaView> Data, [property: Id(1)] string? NextCursor);
