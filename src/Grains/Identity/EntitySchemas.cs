using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Identity;

/// <summary>
/// Where the schema of an entity is found. Schemas live per context; an entity schema is looked for in the
/// entity's home context (for a tenant-wide namespace: the caller's context), then in <c>default</c>, the
/// tenant-wide home of entity schemas (CL 0.40). The context found is stored with the entity, so every later read
/// masks with the same schema whoever reads.
/// </summary>
internal static class EntitySchemas
{
    /// <summary>The contexts searched for a schema bound to entities of <paramref name="ns"/>, in order.</summary>
    public static string[] Homes(CallerContext caller, EntityNamespace ns)
    {
        var first = ns.Home == NamespaceRules.TenantHome ? caller.ContextId : ns.Home;
        return first == AppContextKeys.Default ? [first] : [first, AppContextKeys.Default];
    }

    /// <summary>The schema of <paramref name="schemaId"/>, checked bindable to this namespace; 400 naming <c>schemaId</c> otherwise.</summary>
    public static async Task<(SchemaView Schema, string ContextId)> ByIdAsync(IGrainFactory grains, CallerContext caller, EntityNamespace ns, Guid schemaId)
    {
        foreach (var context in Homes(caller, ns))
        {
            var type = await grains.GetGrain<ISchemaQueryGrain>($"{caller.TenantId}#{context}").FindTypeNameAsync(schemaId);
            if (type is not null && await grains.GetGrain<ISchemaGrain>($"{caller.TenantId}#{context}#{type}").GetAsync() is { } schema)
            {
                CheckBindable(schema, ns.Namespace);
                return (schema, context);
            }
        }

        throw new ValidationException("schemaId", "schemaId does not name a schema of this tenant (looked up in the entity's context and the tenant home).");
    }

    /// <summary>The schema of a type name for a lookup; 400 naming <c>type</c> when there is none.</summary>
    public static async Task<(SchemaView Schema, string ContextId)> ByTypeAsync(IGrainFactory grains, CallerContext caller, EntityNamespace ns, string type)
    {
        if (SchemaTypeNames.IsValid(type))
        {
            foreach (var context in Homes(caller, ns))
            {
                if (await grains.GetGrain<ISchemaGrain>($"{caller.TenantId}#{context}#{type}").GetAsync() is { } schema)
                {
                    return (schema, context);
                }
            }
        }

        throw new ValidationException("type", "type does not name a schema bound to entities of this tenant.");
    }

    /// <summary>The schema an entity row was last written under (null when unbound, or when the schema is gone).</summary>
    public static Task<SchemaView?> OfAsync(IGrainFactory grains, string tenantId, EntityRow row) =>
        row.TypeName is null || row.SchemaContextId is null
            ? Task.FromResult<SchemaView?>(null)
            : grains.GetGrain<ISchemaGrain>($"{tenantId}#{row.SchemaContextId}#{row.TypeName}").GetAsync();

    /// <summary>
    /// Entities of every namespace bind through the <c>entity</c> surface (API-DELTA §5); the 0.31 surfaces
    /// <c>org</c>/<c>client</c> still bind entities of those two namespaces.
    /// </summary>
    private static void CheckBindable(SchemaView schema, string ns)
    {
        var surfaces = schema.Definition.AllowedSurfaces;
        var legacy = ns is OwnershipScopes.Org or OwnershipScopes.Client && surfaces.Contains(ns, StringComparer.Ordinal);
        if (!surfaces.Contains("entity", StringComparer.Ordinal) && !legacy)
        {
            throw new ValidationException("schemaId",
                $"schemaId names a schema (type '{schema.TypeName}') that does not allow the entity surface (allowedSurfaces must include 'entity').");
        }

        if (!schema.Definition.Active)
        {
            throw new ValidationException("schemaId", $"schemaId names an inactive schema (type '{schema.TypeName}'), which binds no new entities.");
        }
    }
}
