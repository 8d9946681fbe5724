using Vectros.Grains.Abstractions.History;
using Vectros.Runtime;

namespace Vectros.Grains.Abstractions.Schemas;

/// <summary>Schema queries inside one context; a stateless worker keyed <c>tenant#context</c>.</summary>
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
public sealed record SchemaListQuery(Guid? UserId, Guid? OrgId, string? Surface, string? RecordType, string? StartFrom, int Limit);
