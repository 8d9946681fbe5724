using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Records;

/// <summary>
/// The statements of an exact-match lookup (0.40, API-DELTA §4). Over <c>record_lookups</c>: one key, its rows in
/// (group, sort key, id) order, which the <c>record_lookups_sorted</c> index (migration 0004) serves as it stands;
/// rows without a sort key come first and are never inside a window. Over <c>records</c> for the built-in
/// <c>externalId</c>: creation order. Cursors carry the last row's position, so paging never skips or repeats.
/// </summary>
internal static class ExactLookupQuery
{
    /// <summary>Sorted rows of one exact key of a declared lookup (a single field, or a composite's run of values).</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) Indexed(
        string tenantId, string contextId, string typeName, string field, string key, LookupWindow? window, string? startFrom, bool descending, int limit) =>
        Indexed(LookupSource.Records, tenantId, contextId, typeName, field, key, window, startFrom, descending, limit);

    /// <summary>As above, over the lookup rows of <paramref name="source"/>.</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) Indexed(
        LookupSource source, string tenantId, string contextId, string typeName, string field, string key, LookupWindow? window, string? startFrom,
        bool descending, int limit)
    {
        var id = source.IdColumn;
        var dir = descending ? "DESC" : "ASC";
        var cmp = descending ? "<" : ">";
        var after = startFrom is null ? null : DecodePosition(startFrom);
        var numeric = window is { Units: not LookupSortUnits.Text };
        var sql =
            $"""
            SELECT {source.ItemColumns}, jsonb_build_array(l.group_key, l.has_sort, l.sort_num::text, l.sort_text)::text
            FROM {source.LookupTable} l
            JOIN {source.ItemTable} r ON r.tenant_id = l.tenant_id AND r.context_id = l.context_id AND r.{id} = l.{id}
            WHERE l.tenant_id = $1 AND l.context_id = $2 AND l.type_name = $3 AND l.field = $4 AND l.value_key = $5
              AND (NOT $6 OR (l.has_sort
                   AND ($7::numeric IS NULL OR l.sort_num >= $7::numeric) AND ($8::numeric IS NULL OR l.sort_num <= $8::numeric)
                   AND ($9::text IS NULL OR l.sort_text >= $9) AND ($10::text IS NULL OR l.sort_text <= $10)))
              AND ($11::text IS NULL
                   OR (l.group_key, l.has_sort, l.sort_num, l.sort_text, l.{id}) {cmp} ($11::text, $12::boolean, $13::numeric, $14::text, $15::uuid))
            ORDER BY l.group_key {dir}, l.has_sort {dir}, l.sort_num {dir}, l.sort_text {dir}, l.{id} {dir}
            LIMIT $16
            """;
        return (sql,
        [
            Text(tenantId), Text(contextId), Text(typeName), Text(field), Text(key),
            Bool(window is not null),
            Of(numeric ? window!.From : null, NpgsqlDbType.Text), Of(numeric ? window!.To : null, NpgsqlDbType.Text),
            Of(numeric ? null : window?.From, NpgsqlDbType.Text), Of(numeric ? null : window?.To, NpgsqlDbType.Text),
            Text(after?.Group), Of(after?.HasSort, NpgsqlDbType.Boolean), Of(after?.SortNum, NpgsqlDbType.Text), Text(after?.SortText),
            Uuid(after?.Id), Int(limit + 1),
        ]);
    }

    /// <summary>The record with this <c>externalId</c> (unique per type), ordered and windowed by creation time.</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) ByExternalId(
        string tenantId, string contextId, string typeName, string externalId, LookupWindow? window, string? startFrom, bool descending, int limit) =>
        ByExternalId(LookupSource.Records, tenantId, contextId, typeName, externalId, window, startFrom, descending, limit);

    /// <summary>As above, over the items of <paramref name="source"/>.</summary>
    public static (string Sql, NpgsqlParameter[] Parameters) ByExternalId(
        LookupSource source, string tenantId, string contextId, string typeName, string externalId, LookupWindow? window, string? startFrom,
        bool descending, int limit)
    {
        var id = source.IdColumn;
        var dir = descending ? "DESC" : "ASC";
        var cmp = descending ? "<" : ">";
        (DateTimeOffset At, Guid Id)? after = null;
        if (startFrom is not null)
        {
            var (sort, lastId) = RecordCursor.Decode(startFrom);
            after = (RecordCursor.DecodeTime(sort), lastId);
        }

        var (from, before) = window?.TimeRange() ?? (null, null);
        var sql =
            $"""
            SELECT {source.ItemColumns} FROM {source.ItemTable} r
            WHERE r.tenant_id = $1 AND r.context_id = $2 AND r.type_name = $3 AND r.external_id = $4
              AND ($5::timestamptz IS NULL OR r.created_at >= $5) AND ($6::timestamptz IS NULL OR r.created_at < $6)
              AND ($7::timestamptz IS NULL OR (r.created_at, r.{id}) {cmp} ($7::timestamptz, $8::uuid))
            ORDER BY r.created_at {dir}, r.{id} {dir} LIMIT $9
            """;
        return (sql,
        [
            Text(tenantId), Text(contextId), Text(typeName), Text(externalId),
            Of(from, NpgsqlDbType.TimestampTz), Of(before, NpgsqlDbType.TimestampTz),
            Of(after?.At, NpgsqlDbType.TimestampTz), Uuid(after?.Id), Int(limit + 1),
        ]);
    }

    /// <summary>The cursor after a row of <see cref="Indexed"/> (its last column is the row's position).</summary>
    public static string IndexedCursor((RecordRow Row, string? Sort) row) => RecordCursor.Encode(row.Sort ?? "", row.Row.Id);

    public static string CreationCursor((RecordRow Row, string? Sort) row) => RecordCursor.Encode(row.Row.CreatedAt, row.Row.Id);

    /// <summary>The cursor after an item of <see cref="Indexed"/>, by its id and position column.</summary>
    public static string IndexedCursor(Guid id, string? sort) => RecordCursor.Encode(sort ?? "", id);

    /// <summary>The cursor after an item of <see cref="ByExternalId"/>.</summary>
    public static string CreationCursor(Guid id, DateTimeOffset createdAt) => RecordCursor.Encode(createdAt, id);

    private static Position DecodePosition(string startFrom)
    {
        var (sort, id) = RecordCursor.Decode(startFrom);
        try
        {
            if (JsonNode.Parse(sort) is JsonArray { Count: 4 } parts
                && parts[0] is JsonValue g && g.GetValueKind() == JsonValueKind.String
                && parts[1] is JsonValue h && h.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                && parts[2] is JsonValue n && n.GetValueKind() == JsonValueKind.String && NumberLimits.Canonical(n.GetValue<string>()) is { } num
                && parts[3] is JsonValue t && t.GetValueKind() == JsonValueKind.String)
            {
                return new Position(g.GetValue<string>(), h.GetValue<bool>(), num, t.GetValue<string>(), id);
            }
        }
        catch (JsonException)
        {
        }

        // A cursor from another lookup mode (or made by hand) positions nothing here.
        throw new ValidationException("startFrom", "startFrom is not a valid cursor for this lookup.");
    }

    private sealed record Position(string Group, bool HasSort, string SortNum, string SortText, Guid Id);
}
