using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Records;

/// <summary>
/// The range and prefix statements of a single-field lookup (spec RecordLookupRequest L8745, DocumentLookupRequest
/// L7199) over a <see cref="LookupSource"/>: rows of a <c>rangeEnabled</c> field, ordered by the field's value then the
/// item id, each row's value as its last column (the cursor's position). Only range-enabled, non-sensitive fields
/// carry the value columns these read.
/// </summary>
internal static class FieldLookupQuery
{
    /// <summary>String values starting with <paramref name="prefix"/>; <paramref name="after"/> is the last row's (value, id).</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) Prefix(
        LookupSource source, string tenantId, string contextId, string typeName, string field, string prefix, (string Sort, Guid Id)? after,
        bool descending, int limit)
    {
        var (dir, cmp, id) = (descending ? "DESC" : "ASC", descending ? "<" : ">", source.IdColumn);
        var sql =
            $"""
            {Joined(source)} AND l.value_text >= $5 AND l.value_text < $6 AND starts_with(l.value_text, $5)
              AND ($7::text IS NULL OR (l.value_text, l.{id}) {cmp} ($7::text, $8::uuid))
            ORDER BY l.value_text {dir}, l.{id} {dir} LIMIT $9
            """;
        return (sql,
        [
            .. Common(tenantId, contextId, typeName, field), Text(prefix), Text(prefix + char.ConvertFromUtf32(0x10FFFF)),
            Text(after?.Sort), Uuid(after?.Id), Int(limit + 1),
        ]);
    }

    /// <summary>Numbers between <paramref name="from"/> and <paramref name="to"/> inclusive.</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) NumberRange(
        LookupSource source, string tenantId, string contextId, string typeName, string field, decimal from, decimal to, (decimal Sort, Guid Id)? after,
        bool descending, int limit)
    {
        var (dir, cmp, id) = (descending ? "DESC" : "ASC", descending ? "<" : ">", source.IdColumn);
        var sql =
            $"""
            {Joined(source)} AND l.value_num BETWEEN $5 AND $6
              AND ($7::numeric IS NULL OR (l.value_num, l.{id}) {cmp} ($7::numeric, $8::uuid))
            ORDER BY l.value_num {dir}, l.{id} {dir} LIMIT $9
            """;
        return (sql,
        [
            .. Common(tenantId, contextId, typeName, field), Of(from, NpgsqlDbType.Numeric), Of(to, NpgsqlDbType.Numeric),
            Of(after?.Sort, NpgsqlDbType.Numeric), Uuid(after?.Id), Int(limit + 1),
        ]);
    }

    /// <summary>Strings between <paramref name="from"/> and <paramref name="to"/> inclusive, in code-point order.</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) TextRange(
        LookupSource source, string tenantId, string contextId, string typeName, string field, string from, string to, (string Sort, Guid Id)? after,
        bool descending, int limit)
    {
        var (dir, cmp, id) = (descending ? "DESC" : "ASC", descending ? "<" : ">", source.IdColumn);
        var sql =
            $"""
            {Joined(source)} AND l.value_text BETWEEN $5 AND $6
              AND ($7::text IS NULL OR (l.value_text, l.{id}) {cmp} ($7::text, $8::uuid))
            ORDER BY l.value_text {dir}, l.{id} {dir} LIMIT $9
            """;
        return (sql,
        [
            .. Common(tenantId, contextId, typeName, field), Text(from), Text(to), Text(after?.Sort), Uuid(after?.Id), Int(limit + 1),
        ]);
    }

    private static string Joined(LookupSource source) =>
        $"""
        SELECT {source.ItemColumns}, coalesce(l.value_num::text, l.value_text) FROM {source.LookupTable} l
        JOIN {source.ItemTable} r ON r.tenant_id = l.tenant_id AND r.context_id = l.context_id AND r.{source.IdColumn} = l.{source.IdColumn}
        WHERE l.tenant_id = $1 AND l.context_id = $2 AND l.type_name = $3 AND l.field = $4
        """;

    private static NpgsqlParameter[] Common(string tenantId, string contextId, string typeName, string field) =>
        [Text(tenantId), Text(contextId), Text(typeName), Text(field)];
}
