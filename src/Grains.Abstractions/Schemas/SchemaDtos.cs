using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>Spec FieldDef (L8834). Names mirror the wire so the definition round-trips unchanged.</summary>
public sealed record FieldDefinition
{
    public required string FieldId { get; init; }

    /// <summary>string | number | boolean | date | enum | array | object | reference.</summary>
    public required string FieldType { get; init; }

    public bool? Required { get; init; }

    public bool? Searchable { get; init; }

    public bool? Filterable { get; init; }

    public string? Description { get; init; }

    /// <summary>Rules: <c>minLength</c>, <c>maxLength</c>, <c>min</c>/<c>minimum</c>, <c>max</c>/<c>maximum</c>, <c>pattern</c>, <c>minItems</c>, <c>maxItems</c>.</summary>
    public JsonObject? Validation { get; init; }

    /// <summary>Allowed values of an enum field (the spec types the items as objects; scalars are accepted).</summary>
    public JsonArray? EnumValues { get; init; }

    public string? TargetTypeName { get; init; }

    public string? TargetField { get; init; }

    /// <summary>one | many.</summary>
    public string? Cardinality { get; init; }

    /// <summary>record | document | user | org | client.</summary>
    public string? TargetSurface { get; init; }

    public bool? Sensitive { get; init; }
}

/// <summary>Spec LookupDef (L8922). The request may also give a bare field name; it is normalised to this.</summary>
public sealed record LookupDefinition
{
    public required string FieldName { get; init; }

    public bool? Unique { get; init; }

    public bool? RangeEnabled { get; init; }

    public string? SortBy { get; init; }

    public bool? AllowOverflow { get; init; }
}

/// <summary>Everything about a schema a client can set (spec SchemaRequest minus typeName and owners).</summary>
public sealed record SchemaDefinition
{
    public required string DisplayName { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<FieldDefinition> Fields { get; init; } = [];

    public IReadOnlyList<LookupDefinition> LookupFields { get; init; } = [];

    /// <summary>fieldId → RenderHintDef, kept as given (it only drives UIs).</summary>
    public JsonObject? RenderHints { get; init; }

    /// <summary>auditHistory (default true), readAccessLog (default false), other flags kept as given.</summary>
    public IReadOnlyDictionary<string, bool> Capabilities { get; init; } = new Dictionary<string, bool>();

    public string? IndexMode { get; init; }

    public string? StorageProfile { get; init; }

    public IReadOnlyList<string> AllowedSurfaces { get; init; } = ["record"];

    public bool Active { get; init; } = true;

    public Guid? UserId { get; init; }

    public Guid? OrgId { get; init; }

    public Guid? ClientId { get; init; }

    /// <summary>Whether records of this type keep version history (schema history itself is always kept, spec L4405).</summary>
    [JsonIgnore]
    public bool AuditHistory => !Capabilities.TryGetValue("auditHistory", out var on) || on;
}

/// <summary>A schema as stored: identity, the definition and its public revision.</summary>
public sealed record SchemaView(
    Guid Id,
    string TenantId,
    string ContextId,
    string TypeName,
    SchemaDefinition Definition,
    int SchemaVersion,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public FieldDefinition? Field(string fieldId) =>
        Definition.Fields.FirstOrDefault(f => string.Equals(f.FieldId, fieldId, StringComparison.Ordinal));

    public LookupDefinition? Lookup(string fieldName) =>
        Definition.LookupFields.FirstOrDefault(l => string.Equals(l.FieldName, fieldName, StringComparison.Ordinal));

    public bool IsSensitive(string fieldId) => Field(fieldId)?.Sensitive == true;

    /// <summary>Whether the schema declares fields; a bare schema (none) performs no payload validation.</summary>
    public bool IsBare => Definition.Fields.Count == 0;
}

/// <summary>Result of an idempotent create (201 vs 200).</summary>
public sealed record SchemaCreateResult(SchemaView Schema, bool Created);

/// <summary>A page of schemas.</summary>
public sealed record SchemaPage(IReadOnlyList<SchemaView> Data, string? NextCursor);
