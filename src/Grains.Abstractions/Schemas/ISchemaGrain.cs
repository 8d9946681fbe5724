using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>
/// One schema, keyed by type name inside a context: <c>tenant#context#typeName</c>
/// (<see cref="CallerContext.KeyFor"/>). Keying by type name serialises the idempotent create and lets record
/// writes find their schema in one cached call.
/// </summary>
[Alias("vectros.ISchemaGrain")]
public interface ISchemaGrain : IGrainWithStringKey
{
    /// <summary>Idempotent create by type name; with upsert, additive changes apply (locked changes are a 400).</summary>
    Task<SchemaCreateResult> CreateAsync(CallerContext caller, SchemaDefinition definition, bool upsert);

    /// <summary>The schema, or null when the type has none.</summary>
    [ReadOnly]
    Task<SchemaView?> GetAsync();

    /// <summary>Replaces the whole definition (already merged by the caller); the change rules still apply.</summary>
    Task<SchemaView> UpdateAsync(CallerContext caller, SchemaDefinition definition);

    /// <summary>
    /// PUT: the patch is merged into the current definition inside the grain's turn, so concurrent PUTs cannot interleave.
    /// <paramref name="expectedId"/> (the id the caller addressed) is checked in the same turn: a type deleted and
    /// re-created under a new id since the caller looked it up is a 404, not a change to the new schema.
    /// </summary>
    Task<SchemaView> PutAsync(CallerContext caller, SchemaPatch patch, Guid? expectedId);

    /// <summary>Deletes the schema if it still has <paramref name="expectedId"/> (null: any); 409 while records of the type exist.</summary>
    Task DeleteAsync(CallerContext caller, Guid? expectedId);

    /// <summary>The schema's version history, newest first.</summary>
    Task<VersionPage> GetVersionsAsync(string? startFrom, int limit);
}
