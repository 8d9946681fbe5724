using System.Text.Json;
using System.Text.Json.Nodes;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Search;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>
/// The WHERE clause both lanes share: the caller's tenant and context first (always bound, from the caller), then
/// every restriction of a <see cref="ChunkScope"/>. Placement, ownership and time are columns of the chunk; field
/// filters read <c>chunks.filter</c> (flat <c>{"field": scalar | [scalars]}</c>).
/// </summary>
internal static class ChunkPredicates
{
    public static string Where(ChunkSql sql, string tenantId, string contextId, ChunkScope scope)
    {
        var parts = new List<string>
        {
            $"c.tenant_id = {sql.Bind(Text(tenantId))}",
            $"c.context_id = {sql.Bind(Text(contextId))}",
        };
        if (scope.Documents != scope.Records)
        {
            parts.Add(scope.Documents ? "c.source_kind = 'document'" : "c.source_kind = 'record'");
        }

        if (scope.TypeName is { } type)
        {
            parts.Add($"c.type_name = {sql.Bind(Text(type))}");
        }

        if (scope.FolderId is { } folder)
        {
            parts.Add($"c.folder_id = {sql.Bind(Uuid(folder))}");
        }

        if (scope.RootFolderId is { } root)
        {
            // folder_path holds the chunk's folder and every ancestor: containment is "in this subtree".
            parts.Add($"c.folder_path @> ARRAY[{sql.Bind(Uuid(root))}]");
        }

        if (scope.CreatedAfter is { } after)
        {
            parts.Add($"c.source_created >= {sql.Bind(Time(after))}");
        }

        if (scope.CreatedBefore is { } before)
        {
            parts.Add($"c.source_created <= {sql.Bind(Time(before))}");
        }

        if (scope.UserId is { } user)
        {
            parts.Add($"c.user_id = {sql.Bind(Uuid(user))}");
        }

        if (scope.Scopes.Count > 0)
        {
            parts.Add($"c.scopes @> {sql.Bind(TextArray(scope.Scopes))}");
        }

        parts.AddRange(scope.Conditions.Select(condition => Condition(sql, condition)));
        return string.Join(" AND ", parts);
    }

    private static string Condition(ChunkSql sql, FieldCondition condition) => condition.Target switch
    {
        FilterTarget.UserId => Column(sql, "c.user_id", condition, NpgsqlDbType.Uuid, v => Guid.Parse(v)),
        FilterTarget.ExternalId => Column(sql, "c.external_id", condition, NpgsqlDbType.Text, v => v),
        FilterTarget.Scope => Scope(sql, condition),
        FilterTarget.PayloadDate => Date(sql, condition),
        _ => Payload(sql, condition),
    };

    /// <summary>A scalar column: equality and membership only (the reader refuses ranges on these fields).</summary>
    private static string Column(ChunkSql sql, string column, FieldCondition condition, NpgsqlDbType type, Func<string, object> parse)
    {
        var values = condition.Operands.Select(parse).ToArray();
        return condition.Operator switch
        {
            FilterOperator.Eq => $"{column} = {sql.Bind(Of(values[0], type))}",
            FilterOperator.Ne => $"{column} IS DISTINCT FROM {sql.Bind(Of(values[0], type))}",
            FilterOperator.In => $"{column} = ANY({sql.Bind(Of(values, NpgsqlDbType.Array | type))})",
            FilterOperator.Nin => $"NOT coalesce({column} = ANY({sql.Bind(Of(values, NpgsqlDbType.Array | type))}), false)",
            _ => throw new InvalidOperationException($"{condition.Operator} on {column}"),
        };
    }

    private static string Scope(ChunkSql sql, FieldCondition condition) => condition.Operator switch
    {
        FilterOperator.Eq => $"c.scopes @> {sql.Bind(TextArray(condition.Operands))}",
        FilterOperator.Ne => $"NOT c.scopes @> {sql.Bind(TextArray(condition.Operands))}",
        FilterOperator.In => $"c.scopes && {sql.Bind(TextArray(condition.Operands))}",
        FilterOperator.Nin => $"NOT c.scopes && {sql.Bind(TextArray(condition.Operands))}",
        _ => throw new InvalidOperationException($"{condition.Operator} on scopes"),
    };

    /// <summary>
    /// A payload value as JSON. Equality is containment, which the GIN index on <c>filter</c> serves, tried against
    /// the value and against a one-element array (a multi-valued field holds an array). Membership and ranges are
    /// jsonpath filters with the operands as variables: lax mode looks into arrays, and comparisons are typed, so
    /// a number never equals a string.
    /// </summary>
    private static string Payload(ChunkSql sql, FieldCondition condition)
    {
        var field = condition.Field;
        switch (condition.Operator)
        {
            case FilterOperator.Eq:
                return Contains(sql, field, condition.Operands[0]);
            case FilterOperator.Ne:
                return $"NOT {Contains(sql, field, condition.Operands[0])}";
            case FilterOperator.In:
            case FilterOperator.Nin:
                var any = PathExists(sql, field, "@ == $v[*]", new JsonArray([.. condition.Operands.Select(o => JsonNode.Parse(o))]));
                return condition.Operator == FilterOperator.In ? any : $"NOT {any}";
            default:
                return PathExists(sql, field, $"@ {Comparison(condition.Operator)} $v", JsonNode.Parse(condition.Operands[0]));
        }
    }

    private static string Contains(ChunkSql sql, string field, string operand)
    {
        var scalar = new JsonObject { [field] = JsonNode.Parse(operand) }.ToJsonString();
        var inArray = new JsonObject { [field] = new JsonArray(JsonNode.Parse(operand)) }.ToJsonString();
        return $"(c.filter @> {sql.Bind(Of(scalar, NpgsqlDbType.Jsonb))} OR c.filter @> {sql.Bind(Of(inArray, NpgsqlDbType.Jsonb))})";
    }

    private static string PathExists(ChunkSql sql, string field, string predicate, JsonNode? operand)
    {
        var path = $"$.{JsonSerializer.Serialize(field)} ? ({predicate})";
        var vars = new JsonObject { ["v"] = operand }.ToJsonString();
        return $"jsonb_path_exists(c.filter, {sql.Bind(Of(path, NpgsqlDbType.JsonPath))}, {sql.Bind(Of(vars, NpgsqlDbType.Jsonb))}, true)";
    }

    /// <summary>A date field: both sides as instants (a stored value that is not a date matches nothing).</summary>
    private static string Date(ChunkSql sql, FieldCondition condition)
    {
        var value = $"vectros_try_timestamptz(c.filter ->> {sql.Bind(Text(condition.Field))})";
        var instants = condition.Operands.Select(o => DateTimeOffset.Parse(o, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return condition.Operator switch
        {
            FilterOperator.In => $"coalesce({value} = ANY({sql.Bind(Of(instants, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz))}), false)",
            FilterOperator.Nin => $"NOT coalesce({value} = ANY({sql.Bind(Of(instants, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz))}), false)",
            FilterOperator.Ne => $"{value} IS DISTINCT FROM {sql.Bind(Time(instants[0]))}",
            var op => $"coalesce({value} {(op == FilterOperator.Eq ? "=" : Comparison(op))} {sql.Bind(Time(instants[0]))}, false)",
        };
    }

    private static string Comparison(FilterOperator op) => op switch
    {
        FilterOperator.Gt => ">",
        FilterOperator.Gte => ">=",
        FilterOperator.Lt => "<",
        FilterOperator.Lte => "<=",
        _ => throw new InvalidOperationException($"{op} is not a comparison"),
    };
}
