using Orleans;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>Schema queries inside one context; a stateless worker keyed <c>tenant#context</c>.</summary>
[Alias("vectros.ISchemaQueryGrain")]
public interface ISchemaQueryGrain : IGrainWithStringKey
{
    /// <summary>The type name of a schema id in this context, or null (foreign and missing ids look the same).</summary>
    Task<string?> FindTypeNameAsync(Guid schemaId);

    /// <summary>
    /// The grain name (<see cref="SchemaKeys"/>) of a schema id in this context: its type name for a base,
    /// <c>typeName~id</c> for a <c>basedOn</c> variant; null when the id names no schema here.
    /// </summary>
    Task<string?> FindGrainNameAsync(Guid schemaId);

    /// <summary>
    /// The schema of <paramref name="typeName"/> that applies to an owner (<c>basedOn</c> shadowing, issue #7 item 5):
    /// the variant whose owner the given userId and scopes match (a userId variant first, then the higher
    /// namespace specificityRank, then the newest), else the base; null when the type has no schema.
    /// </summary>
    Task<SchemaView?> ResolveAsync(string typeName, Guid? userId, IReadOnlyList<string> scopes);

    /// <summary>A page of schemas, filtered as <c>GET /v1/schemas</c> allows.</summary>
    Task<SchemaPage> ListAsync(SchemaListQuery query);

    /// <summary>
    /// History of a schema id in this context, newest first, also after the schema was deleted (the DELETE row is
    /// part of it, spec L4405); null when the id has no history here.
    /// </summary>
    Task<VersionPage?> GetVersionsAsync(Guid schemaId, string? startFrom, int limit);
}

/// <summary>
/// <c>GET /v1/schemas</c> filters. With recordType the owner filters are selectors instead: they pick whose
/// <c>basedOn</c> variant resolves (the front end passes them for root callers only).
/// </summary>
[GenerateSerializer, Alias("vectros.SchemaListQuery")]
public sealed record SchemaListQuery(
    [property: Id(0)] Guid? UserId,
    [property: Id(1)] IReadOnlyList<string> Scopes,
    [property: Id(2)] string? Surface,
    [property: Id(3)] string? RecordType,
    [property: Id(4)] string? StartFrom,
    [property: Id(5)] int Limit);
