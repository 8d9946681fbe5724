using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Vectros.Grains.Abstractions.Search;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>
/// The SQL that reads a page of results (<see cref="SearchHydrator"/>). Public so the search benchmark's baseline
/// issues the very statement the service does.
/// </summary>
public static class PageStatement
{
    /// <summary>Markers ts_headline puts around matches; control characters, so escaping the text cannot touch them.</summary>
    public const char StartMark = '\u0001';

    public const char StopMark = '\u0002';

    private const string HeadlineOptions = "StartSel=\u0001, StopSel=\u0002, MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=2, FragmentDelimiter=\" … \"";

    /// <summary>
    /// The chunks of <paramref name="page"/> with a headline for <paramref name="highlight"/> (none when null) and their
    /// similarity to <paramref name="vector"/> (none when null), leaving out ARCHIVED sources. Columns: source_kind,
    /// source_id, ordinal, chunk_text, context_text, external_id, metadata, source_created, type_name, title, headline, similarity.
    /// </summary>
    public static NpgsqlBatchCommand Read(
        string tenantId, string contextId, IReadOnlyList<LaneHit> page, TextMode? highlight, string text, int slop, float[]? vector)
    {
        var sql = new ChunkSql();
        var tenant = sql.Bind(Text(tenantId));
        var context = sql.Bind(Text(contextId));
        var tsquery = highlight is { } mode ? TextQuery.Sql(sql, mode, text, slop) : "NULL::tsquery";
        var options = sql.Bind(Text(HeadlineOptions));
        var queryVector = sql.Bind(new NpgsqlParameter { Value = vector is null ? DBNull.Value : new Vector(vector), DataTypeName = "vector" });
        var kinds = sql.Bind(TextArray(page.Select(h => h.SourceKind)));
        var ids = sql.Bind(Of(page.Select(h => h.SourceId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        var ordinals = sql.Bind(Of(page.Select(h => h.Ordinal).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer));
        return sql.Command(
            $"""
            WITH q AS MATERIALIZED (SELECT {tsquery} AS tsq)
            SELECT c.source_kind, c.source_id, c.ordinal, c.chunk_text, c.context_text, c.external_id, c.metadata::text,
                   c.source_created, c.type_name, c.title,
                   CASE WHEN q.tsq IS NULL THEN NULL ELSE ts_headline('english', c.chunk_text, q.tsq, {options}) END,
                   CASE WHEN c.embedding IS NULL OR {queryVector}::vector IS NULL THEN NULL
                        ELSE 1 - (c.embedding <=> {queryVector}::vector) END
            FROM q, unnest({kinds}::text[], {ids}::uuid[], {ordinals}::integer[]) AS p(kind, id, ordinal)
            JOIN chunks c ON c.tenant_id = {tenant} AND c.context_id = {context}
                AND c.source_kind = p.kind AND c.source_id = p.id AND c.ordinal = p.ordinal
            WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE c.source_kind = 'document' AND d.tenant_id = {tenant}
                                 AND d.context_id = {context} AND d.document_id = c.source_id AND d.status = 'ARCHIVED')
              AND NOT EXISTS (SELECT 1 FROM records r WHERE c.source_kind = 'record' AND r.tenant_id = {tenant}
                                 AND r.context_id = {context} AND r.record_id = c.source_id AND r.status = 'ARCHIVED')
            """);
    }
}
