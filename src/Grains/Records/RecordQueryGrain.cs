using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Schemas;
using Vectros.Grains.Security;
using Vectros.Grains.Storage;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Records;

/// <summary>
/// List and lookup queries over one context's records, as a stateless worker keyed <c>tenant#context</c>. Each
/// query is one SQL statement bound to the key's tenant and context; results are masked per caller exactly as
/// a by-id read is.
/// </summary>
[StatelessWorker]
public sealed class RecordQueryGrain(NpgsqlDataSource dataSource, TenantKeyring keyring) : Grain, IRecordQueryGrain
{
    private readonly RecordStore _store = new(dataSource);

    async Task<RecordPage> IRecordQueryGrain.ListAsync(CallerContext caller, RecordListQuery query, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = Key(caller);
        var readable = ReadableTypes(caller);
        List<(RecordRow Row, string? Sort)> rows;
        if (query.Recent)
        {
            // The recent feed is standalone: it ignores type, folder and owner filters (spec L3556).
            DateTimeOffset? afterTime = null;
            Guid? afterId = null;
            if (query.StartFrom is not null)
            {
                var (sort, id) = RecordCursor.Decode(query.StartFrom);
                (afterTime, afterId) = (RecordCursor.DecodeTime(sort), id);
            }

            List<NpgsqlParameter> recentParameters =
            [
                Of(tenantId, NpgsqlDbType.Text), Of(contextId, NpgsqlDbType.Text), Of(readable, NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(afterTime, NpgsqlDbType.TimestampTz), Of(afterId, NpgsqlDbType.Uuid), Of(query.Limit + 1, NpgsqlDbType.Integer),
            ];
            rows = await _store.QueryAsync(
                $"""
                SELECT {RecordStore.Columns} FROM records
                WHERE tenant_id = $1 AND context_id = $2 AND ($3::text[] IS NULL OR type_name = ANY($3))
                  AND ($4::timestamptz IS NULL OR updated_at < $4 OR (updated_at = $4 AND record_id > $5)){DataScope(caller, null, recentParameters)}
                ORDER BY updated_at DESC, record_id LIMIT $6
                """,
                recentParameters, cancellationToken);
            return await PageAsync(caller, rows, query.Limit, r => RecordCursor.Encode(r.Row.UpdatedAt, r.Row.Id));
        }

        if (query.Type is not null)
        {
            CheckType(query.Type);
            if (!caller.Can($"records:r:{query.Type}"))
            {
                throw new ForbiddenException($"This operation requires the 'records:r:{query.Type}' scope.");
            }
        }
        else if (query.FolderId is null)
        {
            throw new ValidationException("type", "Give exactly one mode: type, folderId (optionally with type) or recent=true.");
        }

        var after = query.StartFrom is null ? (Guid?)null : RecordCursor.DecodeId(query.StartFrom);
        List<NpgsqlParameter> parameters =
        [
            Of(tenantId, NpgsqlDbType.Text), Of(contextId, NpgsqlDbType.Text), Of(query.Type, NpgsqlDbType.Text),
            Of(query.FolderId, NpgsqlDbType.Uuid), Of(query.UserId, NpgsqlDbType.Uuid), Of(query.Scopes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
            Of(null, NpgsqlDbType.Text), Of(query.Type is null ? readable : null, NpgsqlDbType.Array | NpgsqlDbType.Text),
            Of(after, NpgsqlDbType.Uuid), Of(query.Limit + 1, NpgsqlDbType.Integer),
        ];
        rows = await _store.QueryAsync(
            $"""
            SELECT {RecordStore.Columns} FROM records
            WHERE tenant_id = $1 AND context_id = $2
              AND ($3::text IS NULL OR type_name = $3)
              AND ($4::uuid IS NULL OR folder_id = $4)
              AND ($5::uuid IS NULL OR user_id = $5)
              AND scopes @> $6::text[]
              AND $7::text IS NULL
              AND ($8::text[] IS NULL OR type_name = ANY($8))
              AND ($9::uuid IS NULL OR record_id > $9){DataScope(caller, query.Type is null ? null : $"records:r:{query.Type}", parameters)}
            ORDER BY record_id LIMIT $10
            """,
            parameters, cancellationToken);
        return await PageAsync(caller, rows, query.Limit, r => RecordCursor.Encode(r.Row.Id));
    }

    async Task<RecordPage> IRecordQueryGrain.LookupAsync(CallerContext caller, RecordLookupQuery query, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = Key(caller);
        CheckType(query.Type);
        if (!caller.Can($"records:r:{query.Type}"))
        {
            throw new ForbiddenException($"This operation requires the 'records:r:{query.Type}' scope.");
        }

        LookupRequest.CheckModes(query);
        // Whose basedOn variant's lookup definitions apply: the root caller's userId/scope selectors, else the base.
        var schema = await GrainFactory.GetGrain<ISchemaQueryGrain>($"{tenantId}#{contextId}").ResolveAsync(
                query.Type, caller.IsRoot ? query.UserId : null, caller.IsRoot && query.Scope is { } scope ? [scope] : [])
            ?? throw new ValidationException("type", $"Record type '{query.Type}' has no schema in this context.");
        var lookup = LookupRequest.Find(schema, query.Field);
        // Built in, with no declaration: externalId, userId, and ownership in any namespace (`scope:<ns>`, or the
        // 0.31 orgId/clientId, which are the org and client namespaces).
        var ownershipNamespace = OwnershipNamespace(query.Field);
        var automatic = lookup is null && (ownershipNamespace is not null || query.Field is "userId" or "externalId");
        if (lookup is null && !automatic)
        {
            throw new ValidationException("field", $"'{query.Field}' is not a lookup field of type '{query.Type}'.");
        }

        if (lookup is { IsComposite: true })
        {
            return await CompositeLookupAsync(caller, query, schema, lookup, cancellationToken);
        }

        // A one-element values is exactly value (API-DELTA §4); more than one needs a composite.
        var exact = LookupRequest.ExactValues(query, query.Field, 1);
        var valueParameter = exact?[0].Parameter ?? "value";
        query = exact is null ? query : query with { Value = exact[0].Text, Values = null };
        if (automatic && query.Field == "externalId")
        {
            return await ExternalIdLookupAsync(caller, query, schema, cancellationToken);
        }

        var dir = query.Descending ? "DESC" : "ASC";
        var cmp = query.Descending ? "<" : ">";
        var limit = Of(query.Limit + 1, NpgsqlDbType.Integer);
        List<(RecordRow Row, string? Sort)> rows;
        if (automatic)
        {
            if (query.SortFrom is not null || query.SortTo is not null)
            {
                throw new ValidationException(query.SortFrom is not null ? "sortFrom" : "sortTo", $"'{query.Field}' lookups have no sort key to narrow with sortFrom/sortTo.");
            }

            if (query.Value is null)
            {
                throw new ValidationException("value", $"'{query.Field}' supports exact-value lookups only.");
            }

            var (condition, value, type) = query.Field switch
            {
                // externalId never gets here: it has its own path, ordered by creation time.
                "userId" => ("user_id = $4", (object)(Guid.TryParse(query.Value, out var user) ? user : throw new ValidationException("value", "The lookup value for 'userId' must be a UUID.")), NpgsqlDbType.Uuid),
                _ => ("scopes @> ARRAY[$4::text]", OwnershipScopes.ReadFilter($"{ownershipNamespace}:{query.Value}", "value"), NpgsqlDbType.Text),
            };
            var after = query.StartFrom is null ? (Guid?)null : RecordCursor.DecodeId(query.StartFrom);
            rows = await _store.QueryAsync(
                $"""
                SELECT {RecordStore.Columns} FROM records
                WHERE tenant_id = $1 AND context_id = $2 AND type_name = $3 AND {condition}
                  AND ($5::uuid IS NULL OR record_id {cmp} $5)
                ORDER BY record_id {dir} LIMIT $6
                """,
                [
                    Of(tenantId, NpgsqlDbType.Text), Of(contextId, NpgsqlDbType.Text), Of(query.Type, NpgsqlDbType.Text),
                    Of(value, type), Of(after, NpgsqlDbType.Uuid), limit,
                ],
                cancellationToken);
            return await PageAsync(caller, rows, query.Limit, r => RecordCursor.Encode(r.Row.Id), schema);
        }

        var field = schema.Field(query.Field);
        var sensitive = field?.Sensitive == true;
        if (query.Value is not null)
        {
            // Never echo the value: it may be sensitive. A sensitive value must not travel in a URL (spec L3880).
            if (sensitive && !query.FromBody)
            {
                throw new ValidationException("field",
                    $"'{query.Field}' is a sensitive field: look it up with POST /v1/records/lookup so the value stays out of URLs.");
            }

            var window = LookupWindow.For(query, schema, lookup!);
            var keys = sensitive ? await keyring.GetAsync(tenantId) : null;
            var key = LookupKeys.StoredKey(LookupKeys.ForQuery(field, query.Field, query.Value, valueParameter), sensitive, keys, query.Type, query.Field);
            var (sql, parameters) = ExactLookupQuery.Indexed(tenantId, contextId, query.Type, query.Field, key, window, query.StartFrom, query.Descending, query.Limit);
            return await PageAsync(caller, await _store.QueryAsync(sql, parameters, cancellationToken), query.Limit, ExactLookupQuery.IndexedCursor, schema);
        }

        var mode = query.Prefix is not null ? "prefix" : "range";
        if (sensitive)
        {
            throw new ValidationException("field", $"'{query.Field}' is a sensitive field: its blind index supports exact-value lookups only, not {mode} lookups.");
        }

        if (lookup!.RangeEnabled != true)
        {
            throw new ValidationException("field", $"'{query.Field}' is not rangeEnabled, so it supports exact-value lookups only, not {mode} lookups.");
        }

        (string Sort, Guid Id)? position = query.StartFrom is null ? null : RecordCursor.Decode(query.StartFrom);
        var source = LookupSource.Records;
        if (query.Prefix is not null)
        {
            if (field?.FieldType is not "string")
            {
                throw new ValidationException("prefix", $"Prefix lookups need a string field; '{query.Field}' is a {field?.FieldType ?? "undeclared"} field.");
            }

            var (prefixSql, prefixParameters) = FieldLookupQuery.Prefix(
                source, tenantId, contextId, query.Type, query.Field, query.Prefix, position, query.Descending, query.Limit);
            return await PageAsync(caller, await _store.QueryAsync(prefixSql, prefixParameters, cancellationToken), query.Limit, r => RecordCursor.Encode(r.Sort ?? "", r.Row.Id), schema);
        }

        if (field?.FieldType == "number")
        {
            var from = LookupKeys.ParseDecimal(query.From!) ?? throw new ValidationException("from", $"from must be a number for '{query.Field}'.");
            var to = LookupKeys.ParseDecimal(query.To!) ?? throw new ValidationException("to", $"to must be a number for '{query.Field}'.");
            (decimal, Guid)? afterNum = position is null ? null
                : (LookupKeys.ParseDecimal(position.Value.Sort) ?? throw new ValidationException("startFrom", "startFrom is not a valid cursor."), position.Value.Id);
            var (numberSql, numberParameters) = FieldLookupQuery.NumberRange(
                source, tenantId, contextId, query.Type, query.Field, from, to, afterNum, query.Descending, query.Limit);
            return await PageAsync(caller, await _store.QueryAsync(numberSql, numberParameters, cancellationToken), query.Limit, r => RecordCursor.Encode(r.Sort ?? "0", r.Row.Id), schema);
        }

        var (textSql, textParameters) = FieldLookupQuery.TextRange(
            source, tenantId, contextId, query.Type, query.Field, query.From!, query.To!, position, query.Descending, query.Limit);
        return await PageAsync(caller, await _store.QueryAsync(textSql, textParameters, cancellationToken), query.Limit, r => RecordCursor.Encode(r.Sort ?? "", r.Row.Id), schema);
    }

    /// <summary>
    /// A composite lookup (0.40, API-DELTA §4): all of its values for the exact matches, or a leading run of them for
    /// the matches grouped by the remaining fields. A window needs every value: the sort key orders records only
    /// within one complete combination.
    /// </summary>
    private async Task<RecordPage> CompositeLookupAsync(CallerContext caller, RecordLookupQuery query, SchemaView schema, LookupDefinition lookup, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = Key(caller);
        var fields = lookup.Fields;
        var values = LookupRequest.ExactValues(query, lookup.Key, fields.Count)
            ?? throw new ValidationException(query.Prefix is not null ? "prefix" : "from",
                $"'{lookup.Key}' is a lookup over several fields: it matches exact values only (values, one per field in its declared order).");
        if (values.Count < fields.Count && (query.SortFrom is not null || query.SortTo is not null))
        {
            throw new ValidationException(query.SortFrom is not null ? "sortFrom" : "sortTo",
                $"sortFrom/sortTo need a value for every field of '{lookup.Key}': the sort key orders records only within one complete combination of values.");
        }

        var window = LookupWindow.For(query, schema, lookup);
        var canonical = values.Select((v, i) => LookupKeys.ForQuery(schema.Field(fields[i]), fields[i], v.Text, v.Parameter)).ToList();
        var (sql, parameters) = ExactLookupQuery.Indexed(
            tenantId, contextId, query.Type, lookup.Key, CompositeLookup.Key(canonical), window, query.StartFrom, query.Descending, query.Limit);
        return await PageAsync(caller, await _store.QueryAsync(sql, parameters, cancellationToken), query.Limit, ExactLookupQuery.IndexedCursor, schema);
    }

    /// <summary>
    /// The built-in <c>externalId</c> lookup (0.40 clients assume it without a declaration): exact values only,
    /// ordered and windowed by creation time in epoch milliseconds.
    /// </summary>
    private async Task<RecordPage> ExternalIdLookupAsync(CallerContext caller, RecordLookupQuery query, SchemaView schema, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = Key(caller);
        if (query.Value is null)
        {
            throw new ValidationException(query.Prefix is not null ? "prefix" : "from", "'externalId' supports exact-value lookups only.");
        }

        var window = LookupWindow.ForCreationTime(query);
        var (sql, parameters) = ExactLookupQuery.ByExternalId(tenantId, contextId, query.Type, query.Value, window, query.StartFrom, query.Descending, query.Limit);
        return await PageAsync(caller, await _store.QueryAsync(sql, parameters, cancellationToken), query.Limit, ExactLookupQuery.CreationCursor, schema);
    }

    /// <summary>The schema a row was written under: the type's base, or the variant its schema id names.</summary>
    private Task<SchemaView?> RowSchemaAsync(CallerContext caller, RecordRow row) =>
        SchemaBinding.OfItemAsync(GrainFactory, caller.ContextKey, row.TypeName, row.SchemaId);

    /// <summary>Trims the extra row, makes the cursor, and turns rows into views masked for this caller.</summary>
    private async Task<RecordPage> PageAsync(
        CallerContext caller, List<(RecordRow Row, string? Sort)> rows, int limit, Func<(RecordRow Row, string? Sort), string> cursor, SchemaView? knownSchema = null)
    {
        var next = rows.Count > limit ? cursor(rows[limit - 1]) : null;
        var page = (rows.Count > limit ? rows.GetRange(0, limit) : rows).Select(r => r.Row);
        // Each row is masked by the schema it was written under (a type's base or a basedOn variant), by schema id.
        var schemas = new Dictionary<string, SchemaView?>(StringComparer.Ordinal);
        if (knownSchema is not null)
        {
            schemas[knownSchema.Id.ToString("D")] = knownSchema;
        }

        var (tenantId, contextId) = Key(caller);
        TenantKeys? keys = null;
        var views = new List<RecordView>(Math.Min(rows.Count, limit));
        foreach (var row in page)
        {
            // Outside the caller's data scope is invisible, as if missing; the page may come out short, which is legal
            // (API-DELTA §1 "Completeness": the cursor still moves past what was read).
            var owner = CallerPlacement.Ownership(row.UserId, row.Scopes);
            if (!caller.Permits($"records:r:{row.TypeName}", owner, AccessMode.Read))
            {
                continue;
            }

            var schemaKey = row.SchemaId?.ToString("D") ?? row.TypeName;
            if (!schemas.TryGetValue(schemaKey, out var schema))
            {
                schema = await RowSchemaAsync(caller, row);
                schemas[schemaKey] = schema;
            }

            var sensitive = SensitiveFields.Of(schema);
            if (sensitive.Any && caller.Permits($"records:s:{row.TypeName}", owner, AccessMode.Read))
            {
                keys ??= await keyring.GetAsync(tenantId);
                var revealed = RecordViews.Revealed(row, sensitive, keys, tenantId, contextId);
                views.Add(revealed with { Disclosure = sensitive.Disclosure(revealed.Payload, revealed: true, schema) });
            }
            else
            {
                var masked = RecordViews.Masked(row, sensitive);
                views.Add(masked with { Disclosure = sensitive.Disclosure(masked.Payload, revealed: false, schema) });
            }
        }

        return new RecordPage(views, next);
    }

    /// <summary>
    /// <c> AND (…)</c> narrowing the rows to the caller's data scope in SQL (a superset; <see cref="PageAsync"/> still
    /// checks each row), its values bound after <paramref name="parameters"/>; empty when nothing narrows.
    /// </summary>
    private static string DataScope(CallerContext caller, string? requiredScope, List<NpgsqlParameter> parameters)
    {
        var predicate = DataScopeSql.Predicate(caller, requiredScope, (value, type) =>
        {
            parameters.Add(Of(value, type));
            return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        });
        return predicate is null ? "" : " AND " + predicate;
    }

    /// <summary>
    /// Types the caller may read, for the modes that span types: null means every type (root keys, or an
    /// unqualified <c>records:r</c> grant); otherwise the type qualifiers of its record grants that allow reading.
    /// </summary>
    private static string[]? ReadableTypes(CallerContext caller)
    {
        // A grant without a qualifier covers every type, so it also covers a name no type can have.
        if (caller.IsRoot || caller.Can("records:r:\u0001"))
        {
            return null;
        }

        return caller.AllowedActions
            .Select(a => a.Split(':', 3))
            .Where(p => p.Length == 3 && p[0] == "records")
            .Select(p => p[2])
            .Distinct(StringComparer.Ordinal)
            .Where(t => caller.Can($"records:r:{t}"))
            .ToArray();
    }

    private (string TenantId, string ContextId) Key(CallerContext caller)
    {
        var key = this.GetPrimaryKeyString();
        if (!string.Equals(key, caller.ContextKey, StringComparison.Ordinal))
        {
            throw new NotFoundException("Not found.");
        }

        return (caller.TenantId, caller.ContextId);
    }

    private static void CheckType(string type)
    {
        if (!SchemaTypeNames.IsValid(type))
        {
            throw new ValidationException("type", "type does not name a record type with a schema in this context.");
        }
    }

    /// <summary>The namespace an ownership lookup field names: <c>scope:&lt;ns&gt;</c>, or the 0.31 orgId/clientId; else null.</summary>
    private static string? OwnershipNamespace(string field) => field switch
    {
        "orgId" => OwnershipScopes.Org,
        "clientId" => OwnershipScopes.Client,
        _ when field.StartsWith("scope:", StringComparison.Ordinal) && OwnershipScopes.IsValidNamespace(field[6..]) => field[6..],
        _ => null,
    };
}
