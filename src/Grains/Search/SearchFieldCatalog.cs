using Npgsql;
using NpgsqlTypes;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>
/// Which payload fields a context can filter on, asked only for the names a request uses: those declared
/// <c>filterable</c> (and not <c>sensitive</c>) by one of its schemas, and the keys its indexed chunks have carried
/// (<c>search_filter_fields</c>, migration 0009: documents' undeclared scalar metadata is filterable too).
/// </summary>
internal sealed class SearchFieldCatalog(NpgsqlDataSource dataSource)
{
    private const string Sql =
        """
        SELECT name, coalesce(bool_and(kind = 'date'), false)
        FROM (
            SELECT f ->> 'fieldId' AS name, f ->> 'fieldType' AS kind
              FROM schemas s, jsonb_array_elements(coalesce(s.definition -> 'fields', '[]'::jsonb)) AS f
             WHERE s.tenant_id = $1 AND s.context_id = $2 AND f ->> 'fieldId' = ANY($3)
               AND (f ->> 'filterable')::boolean IS TRUE AND (f ->> 'sensitive')::boolean IS NOT TRUE
            UNION ALL
            SELECT field, NULL FROM search_filter_fields WHERE tenant_id = $1 AND context_id = $2 AND field = ANY($3)
        ) AS declared
        GROUP BY name
        """;

    public async Task<IReadOnlyDictionary<string, FieldKind>> KnownAsync(string tenantId, string contextId, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, FieldKind>(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return known;
        }

        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Of(names.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            known[reader.GetString(0)] = reader.GetBoolean(1) ? FieldKind.Date : FieldKind.Json;
        }

        return known;
    }
}
