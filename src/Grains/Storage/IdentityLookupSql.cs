using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Records;
using Vectros.Grains.Security;

namespace Vectros.Grains.Storage;

/// <summary>The lookup part of an identity list query (entities or users): one mode, its order and its cursor.</summary>
internal sealed record IdentityLookup(
    string TypeName, string FieldName, string? Value, string? From, string? To, string? Prefix, string? Order, string? StartFrom, int Limit, bool FromBody);

/// <summary>
/// The one builder of a type/field lookup over an identity lookup table (<c>entity_lookups</c>, <c>user_lookups</c>),
/// shared by the entity and user query grains, which used to carry a copy each. It applies the record lookup rules
/// (<see cref="LookupKeys"/>): an exact value matched through its stored key (a sensitive field through its blind index,
/// and only from a request body), range and prefix modes only on <c>rangeEnabled</c>, non-sensitive fields, keyset
/// cursors. The caller adds its own conditions (tenant, context, namespace, confinement) to <paramref name="sql"/>
/// first and runs the returned statement; <c>Ranged</c> says which cursor to make (value+id, or id alone).
/// </summary>
internal static class IdentityLookupSql
{
    /// <summary>
    /// The lookup mode rules of both identity lists (spec L4548): <c>order</c> is asc or desc; a lookup names type and
    /// field and exactly one mode (value, from+to, or prefix). Each list checks its own combinations first.
    /// </summary>
    public static void CheckModes(bool isLookup, string? order, string? type, string? field, string? value, string? from, string? to, string? prefix)
    {
        if (order is not (null or "asc" or "desc"))
        {
            throw new ValidationException("order", "order must be 'asc' or 'desc'.");
        }

        if (!isLookup)
        {
            return;
        }

        if (type is null || field is null)
        {
            var missing = type is null ? "type" : "field";
            throw new ValidationException(missing, $"{missing} is required for a lookup: give type, field and one mode (value, from+to, or prefix).");
        }

        var modes = (value is not null ? 1 : 0) + (from is not null || to is not null ? 1 : 0) + (prefix is not null ? 1 : 0);
        if (modes != 1)
        {
            throw new ValidationException("value", "Give exactly one lookup mode: value, from+to, or prefix.");
        }

        if ((from is null) != (to is null))
        {
            throw new ValidationException(from is null ? "from" : "to", "A range lookup needs both from and to.");
        }
    }

    /// <param name="select">The row columns to select, e.g. <c>UserStore.ColumnsOf("u")</c>.</param>
    /// <param name="from">The FROM clause joining the lookup table <c>l</c> to the rows.</param>
    /// <param name="idColumn">The lookup table's id column (<c>l.user_id</c>, <c>l.entity_id</c>).</param>
    /// <param name="bodyRoute">Where a sensitive value must be sent instead of a URL, for the 400 message.</param>
    public static async Task<(string Sql, bool Ranged)> BuildAsync(
        SqlWhere sql, IdentityLookup query, SchemaView schema, Func<ValueTask<TenantKeys>> keys,
        string select, string from, string idColumn, string bodyRoute)
    {
        var (type, fieldName) = (query.TypeName, query.FieldName);
        var lookup = schema.Lookup(fieldName) ?? throw new ValidationException("field", $"'{fieldName}' is not a lookup field of type '{type}'.");
        var field = schema.Field(fieldName);
        var sensitive = field?.Sensitive == true;
        sql.Where("l.type_name = {0}", type, NpgsqlDbType.Text);
        sql.Where("l.field = {0}", fieldName, NpgsqlDbType.Text);
        var (dir, cmp) = query.Order == "desc" ? ("DESC", "<") : ("ASC", ">");

        if (query.Value is not null)
        {
            // Never echo the value: it may be sensitive. A sensitive value must not travel in a URL.
            if (sensitive && !query.FromBody)
            {
                throw new ValidationException("field", $"'{fieldName}' is a sensitive field: look it up with {bodyRoute} so the value stays out of URLs.");
            }

            var tenantKeys = sensitive ? await keys() : null;
            sql.Where("l.value_key = {0}", LookupKeys.StoredKey(LookupKeys.ForQuery(field, fieldName, query.Value), sensitive, tenantKeys, type, fieldName), NpgsqlDbType.Text);
            if (query.StartFrom is not null)
            {
                sql.Where($"{idColumn} {cmp} {{0}}", RecordCursor.DecodeId(query.StartFrom), NpgsqlDbType.Uuid);
            }

            return ($"SELECT {select} {from} WHERE {sql.Conditions} ORDER BY {idColumn} {dir} LIMIT {sql.Add(query.Limit + 1, NpgsqlDbType.Integer)}", false);
        }

        var mode = query.Prefix is not null ? "prefix" : "range";
        if (sensitive || lookup.RangeEnabled != true)
        {
            throw new ValidationException("field", sensitive
                ? $"'{fieldName}' is a sensitive field: its blind index supports exact-value lookups only, not {mode} lookups."
                : $"field '{fieldName}' is not rangeEnabled, so it supports exact-value lookups only, not {mode} lookups.");
        }

        var numeric = field?.FieldType == "number" && query.Prefix is null;
        var column = numeric ? "l.value_num" : "l.value_text";
        var dbType = numeric ? NpgsqlDbType.Numeric : NpgsqlDbType.Text;
        if (query.Prefix is not null)
        {
            if (field?.FieldType is not "string")
            {
                throw new ValidationException("prefix", $"Prefix lookups need a string field; '{fieldName}' is a {field?.FieldType ?? "undeclared"} field.");
            }

            sql.Where("l.value_text >= {0} AND starts_with(l.value_text, {0})", query.Prefix, NpgsqlDbType.Text);
        }
        else
        {
            sql.Where($"{column} >= {{0}}", Bound(query.From!, numeric, "from", fieldName), dbType);
            sql.Where($"{column} <= {{0}}", Bound(query.To!, numeric, "to", fieldName), dbType);
        }

        if (query.StartFrom is not null)
        {
            var (sort, id) = RecordCursor.Decode(query.StartFrom);
            var position = numeric ? LookupKeys.ParseDecimal(sort) ?? throw new ValidationException("startFrom", "startFrom is not a valid cursor.") : (object)sort;
            sql.Where($"({column}, {idColumn}) {cmp} ({{0}}, {sql.Add(id, NpgsqlDbType.Uuid)})", position, dbType);
        }

        return ($"SELECT {select}, coalesce(l.value_num::text, l.value_text) {from} WHERE {sql.Conditions} " +
            $"ORDER BY {column} {dir}, {idColumn} {dir} LIMIT {sql.Add(query.Limit + 1, NpgsqlDbType.Integer)}", true);
    }

    private static object Bound(string text, bool numeric, string name, string field) =>
        !numeric ? text : LookupKeys.ParseDecimal(text) ?? throw new ValidationException(name, $"{name} must be a number for '{field}'.");
}
