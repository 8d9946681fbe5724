using Orleans;
using Vectros.Grains.Abstractions.History;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>Schema queries inside one context; a stateless worker keyed <c>tenant#context</c>.</summary>
[Alias("vectros.ISchemaQueryGrain")]
public interface ISchemaQueryGrain : IGrainWithStringKey
{
    /// <summary>The type name of a schema id in this context, or null (foreign and missing ids look the same).</summary>
    Task<string?> FindTypeNameAsync(Guid schemaId);

    /// <summary>A page of schemas, filtered as <c>GET /v1/schemas</c> allows.</summary>
    Task<SchemaPage> ListAsync(SchemaListQuery query);

    /// <summary>
    /// History of a schema id in this context, newest first, also after the schema was deleted (the DELETE row is
    /// part of it, spec L4405); null when the id has no history here.
    /// </summary>
    Task<VersionPage?> GetVersionsAsync(Guid schemaId, string? startFrom, int limit);
}

/// <summary><c>GET /v1/schemas</c> filters: recordType wins over the owner filters.</summary>
[GenerateSerializer, Alias("vectros.SchemaListQuery")]
public sealed record SchemaListQuery(
    [property: Id(0)] Guid? UserId,
    [property: Id(1)] IReadOnlyList<string> Scopes,
    [property: Id(2)] string? Surface,
    [property: Id(3)] string? RecordType,
    [property: Id(4)] string? StartFrom,
    [property: Id(5)] int Limit);
