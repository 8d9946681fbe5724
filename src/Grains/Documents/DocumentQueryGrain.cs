using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Records;
using Vectros.Grains.Schemas;
using Vectros.Grains.Security;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Documents;

/// <summary>
/// List and lookup queries over one context's documents, as a stateless worker keyed <c>tenant#context</c>. Each query
/// is one SQL statement bound to the key's tenant and context; lookups run the record lookup statements over the
/// document tables (<see cref="DocumentStore.Lookups"/>), and results are masked per caller exactly as a by-id read is.
/// </summary>
[StatelessWorker]
public sealed class DocumentQueryGrain(NpgsqlDataSource dataSource, TenantKeyring keyring) : Grain, IDocumentQueryGrain
{
    private readonly DocumentStore _store = new(dataSource);

    async Task<DocumentPage> IDocumentQueryGrain.ListAsync(CallerContext caller, DocumentListQuery query)
    {
        var (tenantId, contextId) = Key(caller);
        DemandRead(caller);
        var after = query.StartFrom is null ? (Guid?)null : RecordCursor.DecodeId(query.StartFrom);
        var rows = await _store.QueryAsync(
            $"""
            SELECT {DocumentStore.Columns} FROM documents
            WHERE tenant_id = $1 AND context_id = $2
              AND ($3::uuid IS NULL OR folder_id = $3)
              AND ($4::uuid IS NULL OR user_id = $4)
              AND scopes @> $5::text[]
              AND ($6::uuid IS NULL OR document_id > $6)
            ORDER BY document_id LIMIT $7
            """,
            [
                Text(tenantId), Text(contextId), Uuid(query.FolderId), Uuid(query.UserId), TextArray(query.Scopes), Uuid(after),
                Int(query.Limit + 1),
            ]);
        return await PageAsync(caller, rows, query.Limit, r => RecordCursor.Encode(r.Row.Id));
    }

    async Task<DocumentPage> IDocumentQueryGrain.LookupAsync(CallerContext caller, RecordLookupQuery query)
    {
        var (tenantId, contextId) = Key(caller);
        DemandRead(caller);
        if (!SchemaTypeNames.IsValid(query.Type))
        {
            throw new ValidationException("type", "type does not name a document type with a schema in this context.");
        }

        CheckSingleField(query);
        LookupRequest.CheckModes(query);

        // Whose basedOn variant's lookup definitions apply: the root caller's userId/scope selectors (0.40 CL 0.37), else the base.
        var schema = await GrainFactory.GetGrain<ISchemaQueryGrain>($"{tenantId}#{contextId}").ResolveAsync(
                query.Type, caller.IsRoot ? query.UserId : null, caller.IsRoot && query.Scope is { } scope ? [scope] : [])
            ?? throw new ValidationException("type", $"Document type '{query.Type}' has no schema in this context.");
        if (!schema.Definition.AllowedSurfaces.Contains("document", StringComparer.Ordinal))
        {
            throw new ValidationException("type", $"The schema of type '{query.Type}' does not allow the document surface (allowedSurfaces), so no document has it.");
        }

        var lookup = LookupRequest.Find(schema, query.Field);
        if (lookup is null)
        {
            // externalId is built in (spec L2014): no declaration needed, exact values only, in creation order.
            return query.Field == "externalId"
                ? await ExternalIdLookupAsync(caller, query, schema)
                : throw new ValidationException("field", $"'{query.Field}' is not a lookup field of type '{query.Type}' (nor externalId).");
        }

        var field = schema.Field(query.Field);
        var sensitive = field?.Sensitive == true;
        if (query.Value is not null)
        {
            // Never echo the value: it may be sensitive. A sensitive value must not travel in a URL (spec L2013).
            if (sensitive && !query.FromBody)
            {
                throw new ValidationException("field",
                    $"'{query.Field}' is a sensitive field: look it up with POST /v1/documents/lookup so the value stays out of URLs.");
            }

            var keys = sensitive ? await keyring.GetAsync(tenantId) : null;
            var key = LookupKeys.StoredKey(LookupKeys.ForQuery(field, query.Field, query.Value), sensitive, keys, query.Type, query.Field);
            var (sql, parameters) = ExactLookupQuery.Indexed(
                DocumentStore.Lookups, tenantId, contextId, query.Type, query.Field, key, window: null, query.StartFrom, query.Descending, query.Limit);
            return await PageAsync(caller, await _store.QueryAsync(sql, parameters), query.Limit, r => ExactLookupQuery.IndexedCursor(r.Row.Id, r.Sort), schema);
        }

        return await RangeLookupAsync(caller, query, schema, lookup, field, sensitive);
    }

    /// <summary>A prefix or from/to lookup of a range-enabled, non-sensitive field, ordered by the field's value.</summary>
    private async Task<DocumentPage> RangeLookupAsync(
        CallerContext caller, RecordLookupQuery query, SchemaView schema, LookupDefinition lookup, FieldDefinition? field, bool sensitive)
    {
        var (tenantId, contextId) = Key(caller);
        var mode = query.Prefix is not null ? "prefix" : "range";
        if (sensitive)
        {
            throw new ValidationException("field", $"'{query.Field}' is a sensitive field: its blind index supports exact-value lookups only, not {mode} lookups.");
        }

        if (lookup.RangeEnabled != true)
        {
            throw new ValidationException("field", $"'{query.Field}' is not rangeEnabled, so it supports exact-value lookups only, not {mode} lookups.");
        }

        (string Sort, Guid Id)? position = query.StartFrom is null ? null : RecordCursor.Decode(query.StartFrom);
        (string Sql, NpgsqlParameter[] Parameters) statement;
        if (query.Prefix is not null)
        {
            if (field?.FieldType is not "string")
            {
                throw new ValidationException("prefix", $"Prefix lookups need a string field; '{query.Field}' is a {field?.FieldType ?? "undeclared"} field.");
            }

            statement = FieldLookupQuery.Prefix(DocumentStore.Lookups, tenantId, contextId, query.Type, query.Field, query.Prefix, position, query.Descending, query.Limit);
        }
        else if (field?.FieldType == "number")
        {
            var from = LookupKeys.ParseDecimal(query.From!) ?? throw new ValidationException("from", $"from must be a number for '{query.Field}'.");
            var to = LookupKeys.ParseDecimal(query.To!) ?? throw new ValidationException("to", $"to must be a number for '{query.Field}'.");
            (decimal, Guid)? after = position is null ? null
                : (LookupKeys.ParseDecimal(position.Value.Sort) ?? throw new ValidationException("startFrom", "startFrom is not a valid cursor."), position.Value.Id);
            statement = FieldLookupQuery.NumberRange(DocumentStore.Lookups, tenantId, contextId, query.Type, query.Field, from, to, after, query.Descending, query.Limit);
        }
        else
        {
            statement = FieldLookupQuery.TextRange(DocumentStore.Lookups, tenantId, contextId, query.Type, query.Field, query.From!, query.To!, position, query.Descending, query.Limit);
        }

        return await PageAsync(caller, await _store.QueryAsync(statement.Sql, statement.Parameters), query.Limit,
            r => RecordCursor.Encode(r.Sort ?? "", r.Row.Id), schema);
    }

    /// <summary>The built-in <c>externalId</c> lookup: exact values only, ordered by creation time.</summary>
    private async Task<DocumentPage> ExternalIdLookupAsync(CallerContext caller, RecordLookupQuery query, SchemaView schema)
    {
        var (tenantId, contextId) = Key(caller);
        if (query.Value is null)
        {
            throw new ValidationException(query.Prefix is not null ? "prefix" : "from", "'externalId' supports exact-value lookups only.");
        }

        var (sql, parameters) = ExactLookupQuery.ByExternalId(
            DocumentStore.Lookups, tenantId, contextId, query.Type, query.Value, window: null, query.StartFrom, query.Descending, query.Limit);
        return await PageAsync(caller, await _store.QueryAsync(sql, parameters), query.Limit,
            r => ExactLookupQuery.CreationCursor(r.Row.Id, r.Row.CreatedAt), schema);
    }

    /// <summary>Document lookups stay single-field (0.40 CL 0.37): the composite and window parameters of record lookups do not apply.</summary>
    private static void CheckSingleField(RecordLookupQuery query)
    {
        if (query.Values is not null)
        {
            throw new ValidationException("values", "Document lookups are single-field: give value, not values.");
        }

        if (query.SortFrom is not null || query.SortTo is not null)
        {
            throw new ValidationException(query.SortFrom is not null ? "sortFrom" : "sortTo", "sortFrom/sortTo window record lookups only; document lookups take value, from+to or prefix.");
        }
    }

    /// <summary>Trims the extra row, makes the cursor, and masks each row by the schema it was written under.</summary>
    private async Task<DocumentPage> PageAsync(
        CallerContext caller, List<(DocumentRow Row, string? Sort)> rows, int limit, Func<(DocumentRow Row, string? Sort), string> cursor,
        SchemaView? knownSchema = null)
    {
        // The cursor follows the rows read, not the rows shown: documents outside the caller's data scope are left out
        // after the query, so a page may be short with a cursor (API-DELTA §1 "Completeness").
        var next = rows.Count > limit ? cursor(rows[limit - 1]) : null;
        var page = (rows.Count > limit ? rows.GetRange(0, limit) : rows).Select(r => r.Row)
            .Where(r => caller.MayRead("documents:r", r.UserId, r.Scopes));
        var schemas = new Dictionary<string, SchemaView?>(StringComparer.Ordinal);
        if (knownSchema is not null)
        {
            schemas[knownSchema.Id.ToString("D")] = knownSchema;
        }

        TenantKeys? keys = null;
        var views = new List<DocumentView>(Math.Min(rows.Count, limit));
        foreach (var row in page)
        {
            if (row.TypeName is null)
            {
                views.Add(DocumentViews.Masked(row, SensitiveFields.None));
                continue;
            }

            var schemaKey = row.SchemaId?.ToString("D") ?? row.TypeName;
            if (!schemas.TryGetValue(schemaKey, out var schema))
            {
                schema = await SchemaBinding.OfItemAsync(GrainFactory, caller.ContextKey, row.TypeName, row.SchemaId);
                schemas[schemaKey] = schema;
            }

            var sensitive = SensitiveFields.Of(schema);
            if (sensitive.Any && caller.MayRead($"documents:s:{row.TypeName}", row.UserId, row.Scopes))
            {
                keys ??= await keyring.GetAsync(caller.TenantId);
                var revealed = DocumentViews.Revealed(row, sensitive, keys, caller.TenantId, caller.ContextId);
                views.Add(revealed with { Disclosure = sensitive.Disclosure(revealed.Payload, revealed: true, schema) });
            }
            else
            {
                var masked = DocumentViews.Masked(row, sensitive);
                views.Add(masked with { Disclosure = sensitive.Disclosure(masked.Payload, revealed: false, schema) });
            }
        }

        return new DocumentPage(views, next);
    }

    private static void DemandRead(CallerContext caller)
    {
        if (!caller.Can("documents:r"))
        {
            throw new ForbiddenException("This operation requires the 'documents:r' scope.");
        }
    }

    private (string TenantId, string ContextId) Key(CallerContext caller)
    {
        if (!string.Equals(this.GetPrimaryKeyString(), caller.ContextKey, StringComparison.Ordinal))
        {
            throw new NotFoundException("Not found.");
        }

        return (caller.TenantId, caller.ContextId);
    }
}
