using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// How an item of a surface (record, document) finds its schema: at write time by <c>schemaId</c> (a base or a
/// variant) or by type name as the item's owner resolves it (its basedOn variant, else the base; issue #7 item 5),
/// refused unless the schema's <c>allowedSurfaces</c> admits the surface (spec L9222); at read time the schema the
/// row was written under. One place, so records and documents bind and read the same way.
/// </summary>
public static class SchemaBinding
{
    /// <summary>
    /// The schema a new item is written under. At least one of <paramref name="typeName"/> and <paramref name="schemaId"/>
    /// must be given; both must agree. Failures are 400s naming <c>typeName</c> or <c>schemaId</c>.
    /// </summary>
    public static async Task<SchemaView> BindAsync(
        IGrainFactory grains, CallerContext caller, string surface, string? typeName, Guid? schemaId, Guid? userId, IReadOnlyList<string> scopes)
    {
        if (typeName is not null && !SchemaTypeNames.IsValid(typeName))
        {
            throw new ValidationException("typeName", $"typeName does not name a {surface} type with a schema in this context.");
        }

        SchemaView? schema;
        if (schemaId is { } id)
        {
            var name = await grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey).FindGrainNameAsync(id)
                ?? throw new ValidationException("schemaId", "schemaId does not name a schema in this context.");
            SchemaKeys.TryParse(name, out var resolved, out _);
            if (typeName is not null && !string.Equals(typeName, resolved, StringComparison.Ordinal))
            {
                throw new ValidationException("schemaId", "typeName and schemaId disagree: the schema belongs to another type.");
            }

            typeName = resolved;
            schema = await grains.GetGrain<ISchemaGrain>($"{caller.ContextKey}#{name}").GetAsync();
        }
        else
        {
            schema = await grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey).ResolveAsync(
                typeName ?? throw new ValidationException("typeName", "typeName or schemaId is required."), userId, scopes);
        }

        if (schema is null)
        {
            throw new ValidationException("typeName",
                $"{char.ToUpperInvariant(surface[0])}{surface[1..]} type '{typeName}' has no schema in this context; create it with POST /v1/schemas first.");
        }

        if (!schema.Definition.AllowedSurfaces.Contains(surface, StringComparer.Ordinal))
        {
            // Records have always named typeName here; a document names what it bound by.
            var field = surface == "record" || schemaId is null ? "typeName" : "schemaId";
            throw new ValidationException(field, $"The schema of type '{typeName}' does not allow the {surface} surface (allowedSurfaces).");
        }

        return schema;
    }

    /// <summary>
    /// The schema an item was written under: the type's base, or the basedOn variant its stored schema id names (the
    /// base when that variant is gone). Reads, masking and validation on update all use it; null when the type has none.
    /// </summary>
    public static async Task<SchemaView?> OfItemAsync(IGrainFactory grains, string contextKey, string typeName, Guid? schemaId)
    {
        if (!SchemaTypeNames.IsValid(typeName))
        {
            return null;
        }

        var baseSchema = await grains.GetGrain<ISchemaGrain>($"{contextKey}#{typeName}").GetAsync();
        if (schemaId is not { } id || baseSchema?.Id == id)
        {
            return baseSchema;
        }

        return await grains.GetGrain<ISchemaGrain>($"{contextKey}#{SchemaKeys.Variant(typeName, id)}").GetAsync() ?? baseSchema;
    }
}
