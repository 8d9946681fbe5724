using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Users;

/// <summary>
/// Where the schema of a user is found. Schemas live per context and users are account-wide, so a user schema is
/// looked for in the caller's context, then in <c>default</c> (like tenant-wide entities, <c>EntitySchemas</c>).
/// The context found is stored with the user, so every later read masks with the same schema whoever reads.
/// </summary>
internal static class UserSchemas
{
    private const string Surface = "user";

    public static string[] Homes(CallerContext caller) =>
        caller.ContextId == AppContextKeys.Default ? [caller.ContextId] : [caller.ContextId, AppContextKeys.Default];

    /// <summary>The schema of <paramref name="schemaId"/>, checked bindable to users; 400 naming <c>schemaId</c> otherwise.</summary>
    public static async Task<(SchemaView Schema, string ContextId)> ByIdAsync(IGrainFactory grains, CallerContext caller, Guid schemaId)
    {
        foreach (var context in Homes(caller))
        {
            var type = await grains.GetGrain<ISchemaQueryGrain>($"{caller.TenantId}#{context}").FindTypeNameAsync(schemaId);
            if (type is not null && await grains.GetGrain<ISchemaGrain>($"{caller.TenantId}#{context}#{type}").GetAsync() is { } schema)
            {
                if (!schema.Definition.AllowedSurfaces.Contains(Surface, StringComparer.Ordinal))
                {
                    throw new ValidationException("schemaId",
                        $"schemaId names a schema (type '{schema.TypeName}') that does not allow the user surface (allowedSurfaces must include 'user').");
                }

                if (!schema.Definition.Active)
                {
                    throw new ValidationException("schemaId", $"schemaId names an inactive schema (type '{schema.TypeName}'), which binds no new users.");
                }

                return (schema, context);
            }
        }

        throw new ValidationException("schemaId", "schemaId does not name a schema of this tenant (looked up in the caller's context and the tenant home).");
    }

    /// <summary>The schema of a type name for a lookup; 400 naming <c>type</c> when there is none.</summary>
    public static async Task<SchemaView> ByTypeAsync(IGrainFactory grains, CallerContext caller, string type)
    {
        if (SchemaTypeNames.IsValid(type))
        {
            foreach (var context in Homes(caller))
            {
                if (await grains.GetGrain<ISchemaGrain>($"{caller.TenantId}#{context}#{type}").GetAsync() is { } schema)
                {
                    return schema;
                }
            }
        }

        throw new ValidationException("type", "type does not name a schema bound to users of this tenant.");
    }

    /// <summary>The schema a user row was last written under (null when unbound, or when the schema is gone).</summary>
    public static Task<SchemaView?> OfAsync(IGrainFactory grains, string tenantId, UserRow row) =>
        row.TypeName is null || row.SchemaContextId is null
            ? Task.FromResult<SchemaView?>(null)
            : grains.GetGrain<ISchemaGrain>($"{tenantId}#{row.SchemaContextId}#{row.TypeName}").GetAsync();
}
