using System.Text;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Records;
using Vectros.Grains.Security;
using Vectros.Grains.Storage;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Identity;

/// <summary>
/// List and lookup queries over one home's entities (key <c>tenant#home</c>), one SQL statement each, always bound
/// to the tenant, the home and the namespace. Lookups read <c>entity_lookups</c> with the record lookup rules
/// (<see cref="LookupKeys"/>); results are masked per caller exactly as a by-id read is.
/// </summary>
[StatelessWorker]
public sealed class EntityQueryGrain(NpgsqlDataSource dataSource, TenantKeyring keyring) : Grain, IEntityQueryGrain
{
    private readonly EntityStore _store = new(dataSource);

    async Task<EntityPage> IEntityQueryGrain.ListAsync(CallerContext caller, EntityNamespace ns, EntityListQuery query)
    {
        if (!string.Equals(this.GetPrimaryKeyString(), EntityRules.QueryKey(caller.TenantId, ns.Home), StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The entity query grain is keyed by the caller's tenant and the namespace's home.");
        }

        CheckModes(query);
        var sql = new SqlWhere()
            .Where("e.tenant_id = {0}", caller.TenantId, NpgsqlDbType.Text)
            .Where("e.context_id = {0}", ns.Home, NpgsqlDbType.Text)
            .Where("e.namespace = {0}", ns.Namespace, NpgsqlDbType.Text);
        if (query.Scope is not null && !ApplyScope(sql, ns.Namespace, query.Scope))
        {
            return new EntityPage([], null);
        }

        if (query.UserId is { } userId)
        {
            sql.Where("e.user_id = {0}", userId, NpgsqlDbType.Uuid);
        }

        return query.IsLookup ? await LookupAsync(caller, ns, query, sql) : await ListAsync(caller, query, sql);
    }

    /// <summary>Entities of the namespace in id (creation) order, narrowed by the plain filters.</summary>
    private async Task<EntityPage> ListAsync(CallerContext caller, EntityListQuery query, SqlWhere sql)
    {
        if (query.ExternalId is not null)
        {
            sql.Where("e.external_id = {0}", query.ExternalId, NpgsqlDbType.Text);
        }

        if (query.StartFrom is not null)
        {
            sql.Where("e.entity_id > {0}", RecordCursor.DecodeId(query.StartFrom), NpgsqlDbType.Uuid);
        }

        var rows = await _store.QueryAsync(
            $"SELECT {EntityStore.ColumnsOf("e")} FROM entities e WHERE {sql.Conditions} ORDER BY e.entity_id LIMIT {sql.Add(query.Limit + 1, NpgsqlDbType.Integer)}",
            sql.Parameters);
        return await PageAsync(caller, rows, query.Limit, r => RecordCursor.Encode(r.Row.Id));
    }

    /// <summary>A type/field lookup: exact value (sorted by id), or range/prefix (sorted by value, then id).</summary>
    private async Task<EntityPage> LookupAsync(CallerContext caller, EntityNamespace ns, EntityListQuery query, SqlWhere sql)
    {
        var (type, fieldName) = (query.Type!, query.Field!);
        var (schema, _) = await EntitySchemas.ByTypeAsync(GrainFactory, caller, ns, type);
        sql.Where("l.namespace = {0}", ns.Namespace, NpgsqlDbType.Text);
        var (text, ranged) = await IdentityLookupSql.BuildAsync(
            sql,
            new IdentityLookup(type, fieldName, query.Value, query.From, query.To, query.Prefix, query.Order, query.StartFrom, query.Limit, query.FromBody),
            schema,
            () => keyring.GetAsync(caller.TenantId),
            EntityStore.ColumnsOf("e"),
            "FROM entity_lookups l JOIN entities e ON e.tenant_id = l.tenant_id AND e.context_id = l.context_id AND e.entity_id = l.entity_id",
            "l.entity_id",
            $"POST /v1/entities/{ns.Namespace}/lookup");
        var rows = await _store.QueryAsync(text, sql.Parameters);
        return await PageAsync(caller, rows, query.Limit, ranged ? r => RecordCursor.Encode(r.Sort ?? "", r.Row.Id) : r => RecordCursor.Encode(r.Row.Id), schema);
    }

    /// <summary>The mode rules of §8.3: <c>externalId</c> stands alone; <c>order</c> belongs to lookups; one lookup mode at a time.</summary>
    private static void CheckModes(EntityListQuery query)
    {
        if (query.ExternalId is not null && (query.UserId is not null || query.Scope is not null || query.IsLookup))
        {
            throw new ValidationException("externalId", "externalId identifies one entity and cannot be combined with userId, scope or a type/field lookup.");
        }

        if (query.Order is not null && !query.IsLookup)
        {
            throw new ValidationException("order", "order applies to type/field lookups only; a plain listing is in creation order.");
        }

        IdentityLookupSql.CheckModes(query.IsLookup, query.Order, query.Type, query.Field, query.Value, query.From, query.To, query.Prefix);
    }

    /// <summary>
    /// <c>?scope=ns:value</c>: any parent; the route's own namespace names the entity itself. False when nothing can
    /// match (an own-namespace value that is not an entity id).
    /// </summary>
    private static bool ApplyScope(SqlWhere sql, string ns, string raw)
    {
        var scope = OwnershipScopes.ReadFilter(raw);
        var (scopeNs, value) = OwnershipScopes.Parse(scope, "scope");
        if (scopeNs != ns)
        {
            sql.Where("e.scopes @> ARRAY[{0}]", scope, NpgsqlDbType.Text);
            return true;
        }

        if (!Guid.TryParse(value, out var self))
        {
            return false;
        }

        sql.Where("e.entity_id = {0}", self, NpgsqlDbType.Uuid);
        return true;
    }

    /// <summary>Trims the extra row, makes the cursor, and masks each entity with its own schema for this caller.</summary>
    private async Task<EntityPage> PageAsync(
        CallerContext caller, List<(EntityRow Row, string? Sort)> rows, int limit, Func<(EntityRow Row, string? Sort), string> cursor, SchemaView? known = null)
    {
        var next = rows.Count > limit ? cursor(rows[limit - 1]) : null;
        var schemas = new Dictionary<(string?, string?), SchemaView?>();
        TenantKeys? keys = null;
        var views = new List<EntityView>(Math.Min(rows.Count, limit));
        foreach (var (row, _) in rows.Take(limit))
        {
            // Outside the data scope is invisible; a short page with a cursor is legal (API-DELTA §1 "Completeness").
            if (!EntityAccess.Permits(caller, "r", row))
            {
                continue;
            }

            var key = (row.SchemaContextId, row.TypeName);
            if (!schemas.TryGetValue(key, out var schema))
            {
                schema = known is not null && known.TypeName == row.TypeName && known.ContextId == row.SchemaContextId
                    ? known
                    : await EntitySchemas.OfAsync(GrainFactory, caller.TenantId, row);
                schemas[key] = schema;
            }

            var sensitive = SensitiveFields.Of(schema);
            if (sensitive.Any && EntityAccess.Permits(caller, "s", row))
            {
                keys ??= await keyring.GetAsync(caller.TenantId);
                views.Add(EntityViews.Revealed(row, sensitive, keys, caller.TenantId));
            }
            else
            {
                views.Add(EntityViews.Masked(row, sensitive));
            }
        }

        return new EntityPage(views, next);
    }
}
