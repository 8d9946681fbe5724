using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// Schemas between proto messages and the HTTP API's <see cref="SchemaRequest"/>/<see cref="SchemaResponse"/>. A
/// request becomes the SchemaRequest the JSON reader would have produced (lookup definitions as the JSON objects it
/// reads, free-form members as JSON), so <see cref="SchemaRequest.ToDefinition"/>, <see cref="SchemaRequest.ToPatch"/>
/// and the schema grain validate both front doors' writes with the same code and messages.
/// </summary>
public static class SchemaMessages
{
    public static SchemaRequest Request(SchemaFields fields) => new(
        fields.HasTypeName ? fields.TypeName : null,
        fields.HasDisplayName ? fields.DisplayName : null,
        fields.HasDescription ? fields.Description : null,
        fields.Fields.Count > 0 || fields.ClearFields ? [.. fields.Fields.Select(Field)] : null,
        fields.LookupFields.Count > 0 || fields.ClearLookupFields ? [.. fields.LookupFields.Select(Lookup)] : null,
        fields.RenderHints is null ? null : (JsonObject?)ProtoValues.ToJson(fields.RenderHints),
        fields.Capabilities.Count > 0 ? new Dictionary<string, bool>(fields.Capabilities) : null,
        ProtoValues.Wire(fields.IndexMode),
        ProtoValues.Wire(fields.StorageProfile),
        fields.AllowedSurfaces.Count > 0 ? [.. fields.AllowedSurfaces] : null,
        fields.HasActive ? fields.Active : null,
        fields.HasUserId ? fields.UserId : null,
        fields.HasOrgId ? fields.OrgId : null,
        fields.HasClientId ? fields.ClientId : null,
        fields.Scopes.Count > 0 || fields.ClearScopes ? new JsonArray([.. fields.Scopes.Select(s => (JsonNode?)JsonValue.Create(s))]) : null,
        fields.HasBasedOn ? fields.BasedOn : null);

    public static Schema From(SchemaView view, bool created = false)
    {
        var wire = SchemaResponse.From(view);
        var schema = new Schema
        {
            Id = wire.Id,
            TypeName = wire.TypeName,
            DisplayName = wire.DisplayName,
            RenderHints = wire.RenderHints is { } hints ? Struct.Parser.ParseJson(hints.ToJsonString()) : null,
            StorageProfile = ProtoValues.Enum<StorageProfile>(wire.StorageProfile),
            IndexMode = ProtoValues.Enum<IndexMode>(wire.IndexMode),
            Active = wire.Active,
            SchemaVersion = wire.SchemaVersion,
            CreatedAt = ProtoValues.ToTimestamp(view.CreatedAt),
            UpdatedAt = ProtoValues.ToTimestamp(view.UpdatedAt),
            Created = created,
        };
        if (wire.Description is { } description)
        {
            schema.Description = description;
        }

        if (wire.BasedOn is { } basedOn)
        {
            schema.BasedOn = basedOn;
        }

        schema.Fields.AddRange(wire.Fields.Select(Field));
        schema.LookupFields.AddRange(wire.LookupFields.Select(Lookup));
        foreach (var (name, on) in wire.Capabilities)
        {
            schema.Capabilities[name] = on;
        }

        schema.AllowedSurfaces.AddRange(wire.AllowedSurfaces);
        schema.Scopes.AddRange(wire.Scopes);
        return schema;
    }

    public static V1.SchemaPage Page(Grains.Abstractions.Schemas.SchemaPage page, string? nextCursor)
    {
        var result = new V1.SchemaPage();
        result.Data.AddRange(page.Data.Select(v => From(v)));
        if (nextCursor is not null)
        {
            result.NextCursor = nextCursor;
        }

        return result;
    }

    private static FieldDefRequest Field(FieldDef f) => new(
        f.HasFieldId ? f.FieldId : null,
        f.HasFieldType ? f.FieldType : null,
        f.HasRequired ? f.Required : null,
        f.HasSearchable ? f.Searchable : null,
        f.HasFilterable ? f.Filterable : null,
        f.HasDescription ? f.Description : null,
        f.Validation is null ? null : (JsonObject?)ProtoValues.ToJson(f.Validation),
        f.EnumValues is null ? null : (JsonArray?)ProtoValues.ToJson(f.EnumValues),
        f.HasTargetTypeName ? f.TargetTypeName : null,
        f.HasTargetField ? f.TargetField : null,
        f.HasCardinality ? f.Cardinality : null,
        f.HasTargetSurface ? f.TargetSurface : null,
        f.HasSensitive ? f.Sensitive : null);

    /// <summary>A LookupDef as the JSON object the HTTP reader takes, set members only.</summary>
    private static JsonNode Lookup(LookupDef l)
    {
        var obj = new JsonObject();
        if (l.HasFieldName)
        {
            obj["fieldName"] = l.FieldName;
        }

        if (l.FieldNames.Count > 0)
        {
            obj["fieldNames"] = new JsonArray([.. l.FieldNames.Select(n => (JsonNode?)JsonValue.Create(n))]);
        }

        if (l.HasUnique)
        {
            obj["unique"] = l.Unique;
        }

        if (l.HasRangeEnabled)
        {
            obj["rangeEnabled"] = l.RangeEnabled;
        }

        if (l.HasSortBy)
        {
            obj["sortBy"] = l.SortBy;
        }

        if (l.HasAllowOverflow)
        {
            obj["allowOverflow"] = l.AllowOverflow;
        }

        return obj;
    }

    private static FieldDef Field(FieldDefinition f)
    {
        var def = new FieldDef
        {
            FieldId = f.FieldId,
            FieldType = f.FieldType,
            Validation = f.Validation is { } validation ? Struct.Parser.ParseJson(validation.ToJsonString()) : null,
            EnumValues = f.EnumValues is { } values ? ListValue.Parser.ParseJson(values.ToJsonString()) : null,
        };
        if (f.Required is { } required)
        {
            def.Required = required;
        }

        if (f.Searchable is { } searchable)
        {
            def.Searchable = searchable;
        }

        if (f.Filterable is { } filterable)
        {
            def.Filterable = filterable;
        }

        if (f.Description is { } description)
        {
            def.Description = description;
        }

        if (f.TargetTypeName is { } targetType)
        {
            def.TargetTypeName = targetType;
        }

        if (f.TargetField is { } targetField)
        {
            def.TargetField = targetField;
        }

        if (f.Cardinality is { } cardinality)
        {
            def.Cardinality = cardinality;
        }

        if (f.TargetSurface is { } targetSurface)
        {
            def.TargetSurface = targetSurface;
        }

        if (f.Sensitive is { } sensitive)
        {
            def.Sensitive = sensitive;
        }

        return def;
    }

    private static LookupDef Lookup(LookupDefinition l)
    {
        var def = new LookupDef();
        if (l.FieldName is { } name)
        {
            def.FieldName = name;
        }

        def.FieldNames.AddRange(l.FieldNames ?? []);
        if (l.Unique is { } unique)
        {
            def.Unique = unique;
        }

        if (l.RangeEnabled is { } range)
        {
            def.RangeEnabled = range;
        }

        if (l.SortBy is { } sortBy)
        {
            def.SortBy = sortBy;
        }

        if (l.AllowOverflow is { } overflow)
        {
            def.AllowOverflow = overflow;
        }

        return def;
    }
}
