using System.Buffers.Text;
using System.Text;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.History;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.History;

namespace Vectros.Grains.Schemas;

/// <summary>
/// Schema queries inside one context (key <c>tenant#context</c>): id → type name, list pages, and history by id
/// (which outlives a deleted schema). Stateless: any number may run side by side.
/// </summary>
[StatelessWorker]
public sealed class SchemaQueryGrain(NpgsqlDataSource dataSource) : Grain, ISchemaQueryGrain
{
    private readonly SchemaStore _store = new(dataSource);

    private (string TenantId, string ContextId) Key
    {
        get
        {
            var parts = this.GetPrimaryKeyString().Split('#');
            return parts.Length == 2
                ? (parts[0], parts[1])
                : throw new ArgumentException($"'{this.GetPrimaryKeyString()}' is not a context key (tenant#context).");
        }
    }

    async Task<string?> ISchemaQueryGrain.FindTypeNameAsync(Guid schemaId)
    {
        var (tenantId, contextId) = Key;
        return await _store.FindTypeNameAsync(tenantId, contextId, schemaId);
    }

    async Task<SchemaPage> ISchemaQueryGrain.ListAsync(SchemaListQuery query)
    {
        var (tenantId, contextId) = Key;
        if (query.Surface is not null && !SchemaDefinitionValidator.Surfaces.Contains(query.Surface))
        {
            throw new ValidationException("surface", "surface must be one of: " + string.Join(", ", SchemaDefinitionValidator.Surfaces) + ".");
        }

        var after = query.StartFrom is null ? null : DecodeCursor(query.StartFrom);

        // recordType resolves one schema and takes precedence over the owner filters (spec L4144).
        var byType = query.RecordType is not null;
        var rows = await _store.ListAsync(
            tenantId, contextId, query.RecordType, query.Surface, byType ? null : query.UserId, byType ? [] : query.Scopes, after, query.Limit + 1);
        var page = rows.Take(query.Limit).ToList();
        return new SchemaPage(page, rows.Count > query.Limit ? EncodeCursor(page[^1].TypeName) : null);
    }

    async Task<VersionPage?> ISchemaQueryGrain.GetVersionsAsync(Guid schemaId, string? startFrom, int limit)
    {
        var (tenantId, contextId) = Key;
        var id = schemaId.ToString("D");
        if (!await VersionHistory.ExistsAsync(dataSource, tenantId, contextId, SchemaGrain.EntityKind, id))
        {
            return null;
        }

        return await VersionHistory.ListAsync(dataSource, tenantId, contextId, SchemaGrain.EntityKind, id, startFrom, limit);
    }

    // The cursor is the last type name, base64url-encoded so that clients treat it as opaque (spec §1.5).
    private static string EncodeCursor(string typeName) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(typeName));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            var typeName = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return SchemaTypeNames.IsValid(typeName) ? typeName : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
        }
    }
}
