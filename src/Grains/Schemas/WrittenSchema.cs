using Orleans;
using Vectros.Grains.Abstractions.Schemas;

namespace Vectros.Grains.Schemas;

/// <summary>
/// The schema an item (record or document) was written under, from its stored <c>type_name</c> and <c>schema_id</c>:
/// the base, or the basedOn variant it resolved to (issue #7 item 5). Rows without a schema id, or whose variant is
/// gone, use the base.
/// </summary>
internal static class WrittenSchema
{
    public static async Task<SchemaView?> ResolveAsync(IGrainFactory grains, string tenantId, string contextId, string typeName, Guid? schemaId)
    {
        var baseSchema = await grains.GetGrain<ISchemaGrain>($"{tenantId}#{contextId}#{typeName}").GetAsync();
        if (schemaId is not { } id || baseSchema?.Id == id)
        {
            return baseSchema;
        }

        return await grains.GetGrain<ISchemaGrain>($"{tenantId}#{contextId}#{SchemaKeys.Variant(typeName, id)}").GetAsync()
            ?? baseSchema;
    }
}
