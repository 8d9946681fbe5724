using System.Text;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.Records;
using Vectros.Grains.Security;
using Vectros.Grains.Storage;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Users;

/// <summary>
/// List, lookup and exists-by-email queries over one tenant's users (key = tenant id), one SQL statement each,
/// always bound to the tenant. Lookups read <c>user_lookups</c> with the record lookup rules (<see cref="LookupKeys"/>:
/// a sensitive field is matched through its blind index); results are masked per caller exactly as a by-id read is.
/// Confinement (a caller confined to a context sees only users with a profile there, API-DELTA §8.8) is one more
/// condition of the query's <see cref="SqlWhere"/> (<see cref="UserConfinement"/>).
/// </summary>
[StatelessWorker]
public sealed class UserQueryGrain(NpgsqlDataSource dataSource, TenantKeyring keyring) : Grain, IUserQueryGrain
{
    private readonly UserStore _store = new(dataSource);

    async Task<UserPage> IUserQueryGrain.ListAsync(CallerContext caller, UserListQuery query)
    {
        CheckKey(caller);
        CheckModes(query);
        var sql = new SqlWhere().Where("u.tenant_id = {0}", caller.TenantId, NpgsqlDbType.Text);
        if (!caller.IsRoot)
        {
            // A confined caller lists and looks up only the users with a profile in its context (API-DELTA §8.8).
            sql.Where(UserConfinement.Visible("u.tenant_id", "{0}", "u.user_id"), caller.ContextId, NpgsqlDbType.Text);
        }

        return query.IsLookup ? await LookupAsync(caller, query, sql) : await ListAsync(caller, query, sql);
    }

    async Task<UserExists> IUserQueryGrain.ExistsByEmailAsync(CallerContext caller, string email, string contextId)
    {
        CheckKey(caller);

        // API-DELTA §8.8: true only for an ACTIVE user with an active access profile in that context. The user's
        // id and status come back whenever the account has the email (the caller holds users:r, which reads them).
        var row = await _store.FindByEmailAsync(caller.TenantId, email);
        if (row is null)
        {
            return new UserExists(false, null, null);
        }

        var exists = row.Status == UserRules.Active && await _store.HasActiveProfileAsync(caller.TenantId, contextId, row.Id);

        // A confined caller learns the id and status only of a user it can reach (§8.8 confinement): for anyone else the
        // answer is the same as for an email no one holds.
        if (!exists && !caller.IsRoot && !await _store.IsVisibleAsync(caller.TenantId, caller.ContextId, row.Id))
        {
            return new UserExists(false, null, null);
        }

        return new UserExists(exists, row.Id, row.Status);
    }

    async Task<IReadOnlyDictionary<Guid, string>> IUserQueryGrain.EmailsAsync(CallerContext caller, IReadOnlyList<Guid> userIds)
    {
        CheckKey(caller);
        if (userIds.Count == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var sql = new SqlWhere().Where("u.tenant_id = {0}", caller.TenantId, NpgsqlDbType.Text)
            .Where("u.user_id = ANY({0})", userIds.Distinct().ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
        if (!caller.IsRoot)
        {
            sql.Where(UserConfinement.Visible("u.tenant_id", "{0}", "u.user_id"), caller.ContextId, NpgsqlDbType.Text);
        }

        return await _store.EmailsAsync($"SELECT u.user_id, u.email FROM users u WHERE {sql.Conditions} AND u.email IS NOT NULL", sql.Parameters);
    }

    private void CheckKey(CallerContext caller)
    {
        if (!string.Equals(this.GetPrimaryKeyString(), caller.TenantId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The user query grain is keyed by the caller's tenant.");
        }
    }

    /// <summary>Users in id (creation) order, or the one user of an externalId.</summary>
    private async Task<UserPage> ListAsync(CallerContext caller, UserListQuery query, SqlWhere sql)
    {
        if (query.ExternalId is not null)
        {
            sql.Where("u.external_id = {0}", query.ExternalId, NpgsqlDbType.Text);
        }

        if (query.StartFrom is not null)
        {
            sql.Where("u.user_id > {0}", RecordCursor.DecodeId(query.StartFrom), NpgsqlDbType.Uuid);
        }

        var rows = await _store.QueryAsync(
            $"SELECT {UserStore.ColumnsOf("u")} FROM users u WHERE {sql.Conditions} ORDER BY u.user_id LIMIT {sql.Add(query.Limit + 1, NpgsqlDbType.Integer)}",
            sql.Parameters);
        return await PageAsync(caller, rows, query.Limit, r => RecordCursor.Encode(r.Row.Id));
    }

    /// <summary>A type/field lookup: exact value (sorted by id), or range/prefix (sorted by value, then id).</summary>
    private async Task<UserPage> LookupAsync(CallerContext caller, UserListQuery query, SqlWhere sql)
    {
        var (type, fieldName) = (query.Type!, query.Field!);
        var schema = await UserSchemas.ByTypeAsync(GrainFactory, caller, type);
        var (text, ranged) = await IdentityLookupSql.BuildAsync(
            sql,
            new IdentityLookup(type, fieldName, query.Value, query.From, query.To, query.Prefix, query.Order, query.StartFrom, query.Limit, query.FromBody),
            schema,
            () => keyring.GetAsync(caller.TenantId),
            UserStore.ColumnsOf("u"),
            "FROM user_lookups l JOIN users u ON u.tenant_id = l.tenant_id AND u.user_id = l.user_id",
            "l.user_id",
            "POST /v1/users/lookup");
        var rows = await _store.QueryAsync(text, sql.Parameters);
        return await PageAsync(caller, rows, query.Limit, ranged ? r => RecordCursor.Encode(r.Sort ?? "", r.Row.Id) : r => RecordCursor.Encode(r.Row.Id), schema);
    }

    /// <summary>The mode rules of spec L4548: <c>externalId</c> stands alone; <c>order</c> belongs to lookups; one lookup mode at a time.</summary>
    private static void CheckModes(UserListQuery query)
    {
        if (query.ExternalId is not null && query.IsLookup)
        {
            throw new ValidationException("externalId", "externalId identifies one user and cannot be combined with a type/field lookup.");
        }

        IdentityLookupSql.CheckModes(query.IsLookup, query.Order, query.Type, query.Field, query.Value, query.From, query.To, query.Prefix);
    }

    /// <summary>Trims the extra row, makes the cursor, and masks each user with its own schema for this caller.</summary>
    private async Task<UserPage> PageAsync(
        CallerContext caller, List<(UserRow Row, string? Sort)> rows, int limit, Func<(UserRow Row, string? Sort), string> cursor, SchemaView? known = null)
    {
        var next = rows.Count > limit ? cursor(rows[limit - 1]) : null;
        var schemas = new Dictionary<(string?, string?), SchemaView?>();
        TenantKeys? keys = null;
        var views = new List<UserView>(Math.Min(rows.Count, limit));
        foreach (var (row, _) in rows.Take(limit))
        {
            var key = (row.SchemaContextId, row.TypeName);
            if (!schemas.TryGetValue(key, out var schema))
            {
                schema = known is not null && known.TypeName == row.TypeName && known.ContextId == row.SchemaContextId
                    ? known
                    : await UserSchemas.OfAsync(GrainFactory, caller.TenantId, row);
                schemas[key] = schema;
            }

            var sensitive = SensitiveFields.Of(schema);
            if (sensitive.Any && caller.Can("users:s"))
            {
                keys ??= await keyring.GetAsync(caller.TenantId);
                var revealed = UserViews.Revealed(row, sensitive, keys, caller.TenantId);
                views.Add(revealed with { Disclosure = sensitive.Disclosure(revealed.Payload, revealed: true, schema) });
            }
            else
            {
                var masked = UserViews.Masked(row, sensitive);
                views.Add(masked with { Disclosure = sensitive.Disclosure(masked.Payload, revealed: false, schema) });
            }
        }

        return new UserPage(views, next);
    }
}
