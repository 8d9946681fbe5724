using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.ApiFrontend.Contracts;

/// <summary>
/// Spec SchemaRequest (L9125). Everything is nullable here because PUT is partial; create checks what it needs.
/// <c>lookupFields</c> items are a bare field name or a LookupDef object, so they are read as JSON and mapped by
/// <see cref="ToLookups"/>; <c>validation</c>, <c>enumValues</c> and <c>renderHints</c> are free-form JSON that
/// the schema grain checks rule by rule.
/// </summary>
public sealed record SchemaRequest(
    string? TypeName,
    string? DisplayName,
    string? Description,
    IReadOnlyList<FieldDefRequest?>? Fields,
    IReadOnlyList<JsonNode?>? LookupFields,
    JsonObject? RenderHints,
    IReadOnlyDictionary<string, bool>? Capabilities,
    string? IndexMode,
    string? StorageProfile,
    IReadOnlyList<string?>? AllowedSurfaces,
    bool? Active,
    string? UserId,
    string? OrgId,
    string? ClientId,
    JsonNode? Scopes = null,
    string? BasedOn = null)
{
    /// <summary>
    /// The definition of a create. <c>allowedSurfaces</c> defaults to <c>["record"]</c>: the spec marks it required,
    /// but issue #3 makes a bare schema (typeName and displayName only) valid, and every generated client sends it
    /// anyway; the response always carries it, as the spec promises.
    /// </summary>
    public SchemaDefinition ToDefinition() => new()
    {
        DisplayName = DisplayName ?? "",
        Description = Description,
        Fields = ToFields() ?? [],
        LookupFields = ToLookups() ?? [],
        RenderHints = RenderHints,
        Capabilities = Capabilities ?? new Dictionary<string, bool>(),
        IndexMode = IndexMode,
        StorageProfile = StorageProfile,
        AllowedSurfaces = ToSurfaces() ?? ["record"],
        Active = Active ?? true,
        UserId = Owner(UserId, "userId"),
        Scopes = DeclaredScopes() ?? (OrgId is null && ClientId is null
            ? null
            : OwnershipScopes.Resolve([], null, Owner(OrgId, "orgId"), Owner(ClientId, "clientId"))),
        BasedOn = Owner(BasedOn, "basedOn"),
    };

    /// <summary>The PUT patch: absent (or null) properties are kept, collections that are present replace whole.</summary>
    public SchemaPatch ToPatch() => new()
    {
        TypeName = TypeName,
        DisplayName = DisplayName,
        Description = Description,
        Fields = ToFields(),
        LookupFields = ToLookups(),
        RenderHints = RenderHints,
        Capabilities = Capabilities,
        IndexMode = IndexMode,
        StorageProfile = StorageProfile,
        AllowedSurfaces = ToSurfaces(),
        Active = Active,
        UserId = Owner(UserId, "userId"),
        OrgId = Owner(OrgId, "orgId"),
        ClientId = Owner(ClientId, "clientId"),
        Scopes = DeclaredScopes(),
        BasedOn = Owner(BasedOn, "basedOn"),
    };

    private IReadOnlyList<string>? DeclaredScopes() => OwnershipScopes.ReadDeclaration(Scopes, OrgId is not null || ClientId is not null);

    private List<FieldDefinition>? ToFields() => Fields?.Select((f, i) => f is null
        ? throw new ValidationException($"fields[{i}]", $"fields[{i}] must be an object.")
        : new FieldDefinition
        {
            FieldId = f.FieldId ?? "",
            FieldType = f.FieldType ?? "",
            Required = f.Required,
            Searchable = f.Searchable,
            Filterable = f.Filterable,
            Description = f.Description,
            Validation = f.Validation,
            EnumValues = f.EnumValues,
            TargetTypeName = f.TargetTypeName,
            TargetField = f.TargetField,
            Cardinality = f.Cardinality,
            TargetSurface = f.TargetSurface,
            Sensitive = f.Sensitive,
        }).ToList();

    private List<string>? ToSurfaces() => AllowedSurfaces?.Select((s, i) =>
        s ?? throw new ValidationException($"allowedSurfaces[{i}]", $"allowedSurfaces[{i}] must be a string.")).ToList();

    /// <summary>Bare names become <c>{fieldName}</c>; objects are read strictly (unknown members and wrong types are a 400 naming the path).</summary>
    private List<LookupDefinition>? ToLookups() => LookupFields?.Select(ToLookup).ToList();

    private static LookupDefinition ToLookup(JsonNode? node, int index)
    {
        var path = $"lookupFields[{index}]";
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                return new LookupDefinition { FieldName = value.GetValue<string>() };
            case JsonObject obj:
                string? fieldName = null, sortBy = null;
                bool? unique = null, rangeEnabled = null, allowOverflow = null;
                List<string>? fieldNames = null;
                foreach (var (name, member) in obj)
                {
                    var memberPath = $"{path}.{name}";
                    switch (name)
                    {
                        case "fieldName": fieldName = String(member, memberPath); break;
                        case "fieldNames": fieldNames = Strings(member, memberPath); break;
                        case "sortBy": sortBy = String(member, memberPath); break;
                        case "unique": unique = Bool(member, memberPath); break;
                        case "rangeEnabled": rangeEnabled = Bool(member, memberPath); break;
                        case "allowOverflow": allowOverflow = Bool(member, memberPath); break;
                        default: throw new ValidationException(memberPath, $"Unknown field '{memberPath}'.");
                    }
                }

                return new LookupDefinition
                {
                    // 0.40: a composite gives fieldNames instead; the grain checks that exactly one is given.
                    FieldName = fieldName ?? (fieldNames is null ? "" : null),
                    FieldNames = fieldNames,
                    Unique = unique,
                    RangeEnabled = rangeEnabled,
                    SortBy = sortBy,
                    AllowOverflow = allowOverflow,
                };
            default:
                throw new ValidationException(path, $"Invalid value for '{path}': expected a field name or a LookupDef object.");
        }
    }

    private static string? String(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new ValidationException(path, $"Invalid value for '{path}': expected a string."),
    };

    private static List<string>? Strings(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonArray items => items.Select((item, j) => String(item, $"{path}[{j}]") ?? throw new ValidationException($"{path}[{j}]", $"Invalid value for '{path}[{j}]': expected a string.")).ToList(),
        _ => throw new ValidationException(path, $"Invalid value for '{path}': expected an array of field ids."),
    };

    private static bool? Bool(JsonNode? node, string path) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new ValidationException(path, $"Invalid value for '{path}': expected a boolean."),
    };

    private static Guid? Owner(string? value, string name) =>
        value is null ? null
        : Guid.TryParse(value, out var id) ? id
        : throw new ValidationException(name, $"{name} must be a Vectros UUID.");
}

/// <summary>Spec FieldDef (L8834) as a request item.</summary>
public sealed record FieldDefRequest(
    string? FieldId,
    string? FieldType,
    bool? Required,
    bool? Searchable,
    bool? Filterable,
    string? Description,
    JsonObject? Validation,
    JsonArray? EnumValues,
    string? TargetTypeName,
    string? TargetField,
    string? Cardinality,
    string? TargetSurface,
    bool? Sensitive);

/// <summary>
/// Spec SchemaResponse (L9001). FieldDef and LookupDef are the grain's own records: their names mirror the wire.
/// Owners are stored but not returned (the spec's response has no owner fields).
/// </summary>
public sealed record SchemaResponse(
    string Id,
    string TypeName,
    string DisplayName,
    string? Description,
    IReadOnlyList<FieldDefinition> Fields,
    IReadOnlyList<LookupDefinition> LookupFields,
    JsonObject? RenderHints,
    IReadOnlyDictionary<string, bool> Capabilities,
    string? StorageProfile,
    string? IndexMode,
    IReadOnlyList<string> AllowedSurfaces,
    IReadOnlyList<string> Scopes,
    bool Active,
    int SchemaVersion,
    string CreatedAt,
    string UpdatedAt,
    [property: JsonPropertyOrder(-1)] bool? Created = null,
    string? BasedOn = null)
{
    public static SchemaResponse From(SchemaView view, bool? created = null) => new(
        view.Id.ToString("D"),
        view.TypeName,
        view.Definition.DisplayName,
        view.Definition.Description,
        view.Definition.Fields,
        view.Definition.LookupFields,
        view.Definition.RenderHints,
        view.Definition.Capabilities,
        view.Definition.StorageProfile,
        view.Definition.IndexMode,
        view.Definition.AllowedSurfaces,
        view.Definition.Scopes ?? [],
        view.Definition.Active,
        view.SchemaVersion,
        Timestamps.Format(view.CreatedAt),
        Timestamps.Format(view.UpdatedAt),
        created,
        view.Definition.BasedOn?.ToString("D"));
}
