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

    async Task<string?> ISchemaQueryGrain.FindGrainNameAsync(Guid schemaId)
    {
        var (tenantId, contextId) = Key;
        return await _store.FindGrainNameAsync(tenantId, contextId, schemaId);
    }

    async Task<SchemaView?> ISchemaQueryGrain.ResolveAsync(string typeName, Guid? userId, IReadOnlyList<string> scopes) =>
        await ResolveAsync(typeName, userId, scopes);

    private async Task<SchemaView?> ResolveAsync(string typeName, Guid? userId, IReadOnlyList<string> scopes)
    {
        var (tenantId, contextId) = Key;
        var baseSchema = GrainFactory.GetGrain<ISchemaGrain>($"{tenantId}#{contextId}#{typeName}");
        if (!SchemaTypeNames.IsValid(typeName) || (userId is null && scopes.Count == 0))
        {
            return SchemaTypeNames.IsValid(typeName) ? await baseSchema.GetAsync() : null;
        }

        var variants = await _store.VariantsAsync(tenantId, contextId, typeName);
        var ranks = variants.Count == 0 ? new Dictionary<string, int>() : await _store.NamespaceRanksAsync(tenantId, contextId);
        return SchemaOwners.Resolve(variants, userId, scopes, ranks) is { } variant
            ? await GrainFactory.GetGrain<ISchemaGrain>($"{tenantId}#{contextId}#{variant.GrainName}").GetAsync() ?? await baseSchema.GetAsync()
            : await baseSchema.GetAsync();
    }

    async Task<SchemaPage> ISchemaQueryGrain.ListAsync(SchemaListQuery query)
    {
        var (tenantId, contextId) = Key;
        if (query.Surface is not null && !SchemaDefinitionValidator.Surfaces.Contains(query.Surface))
        {
            throw new ValidationException("surface", "surface must be one of: " + string.Join(", ", SchemaDefinitionValidator.Surfaces) + ".");
        }

        // recordType resolves one schema (spec L4144); the owner filters are then selectors of whose basedOn variant.
        if (query.RecordType is not null)
        {
            var resolved = await ResolveAsync(query.RecordType, query.UserId, query.Scopes);
            var fits = resolved is not null && (query.Surface is null || resolved.Definition.AllowedSurfaces.Contains(query.Surface, StringComparer.Ordinal));
            return new SchemaPage(fits ? [resolved!] : [], null);
        }

        if (query.Surface == "entity")
        {
            var since = query.StartFrom is null ? ((DateTimeOffset, Guid)?)null : DecodeEntityCursor(query.StartFrom);
            var merged = await _store.ListEntitySchemasAsync(tenantId, contextId, query.UserId, query.Scopes, since, query.Limit + 1);
            var entityPage = merged.Take(query.Limit).ToList();
            return new SchemaPage(entityPage, merged.Count > query.Limit ? EncodeEntityCursor(entityPage[^1]) : null);
        }

        var after = query.StartFrom is null ? ((string, Guid)?)null : DecodeCursor(query.StartFrom);
        var rows = await _store.ListAsync(tenantId, contextId, query.Surface, query.UserId, query.Scopes, after, query.Limit + 1);
        var page = rows.Take(query.Limit).ToList();
        return new SchemaPage(page, rows.Count > query.Limit ? EncodeCursor(page[^1]) : null);
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

    // The cursor is the last (type name, id), base64url-encoded so that clients treat it as opaque (spec §1.5). A
    // cursor of a type name alone (before variants) resumes after every schema of that type.
    private static string EncodeCursor(SchemaView last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(SchemaKeys.Variant(last.TypeName, last.Id)));

    // surface=entity pages newest first across two contexts: its cursor is the last (created_at, id).
    private static string EncodeEntityCursor(SchemaView last) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"e~{last.CreatedAt.UtcTicks}~{last.Id:D}"));

    private static (DateTimeOffset CreatedAt, Guid Id) DecodeEntityCursor(string cursor)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split('~');
            return parts is ["e", var ticks, var id]
                && long.TryParse(ticks, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var t)
                && t is >= 0 and <= 3155378975999999999 && Guid.TryParse(id, out var g)
                ? (new DateTimeOffset(t, TimeSpan.Zero), g)
                : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
        }
    }

    private static (string TypeName, Guid Id) DecodeCursor(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return SchemaKeys.TryParse(text, out var typeName, out var id) && SchemaTypeNames.IsValid(typeName)
                ? (typeName, id ?? Guid.AllBitsSet)
                : throw new FormatException();
        }
        catch (FormatException)
        {
            throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
        }
    }
}
