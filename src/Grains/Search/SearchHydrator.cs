using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using Vectros.Grains.Abstractions.Search;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Search;

/// <summary>What a result shows of its chunk, read once the page is known.</summary>
internal sealed record ChunkRow(
    string ChunkText, string ContextText, string? ExternalId, JsonElement Metadata, DateTimeOffset CreatedAt,
    string? TypeName, string? Title, string? Headline, double? Similarity);

/// <summary>
/// Reads the page's chunks in one statement: their text and metadata, a <c>ts_headline</c> snippet and, when the
/// search has a query vector, each chunk's cosine similarity to it (so a keyword-only hit of a HYBRID search still
/// reports its semanticScore); without a highlight mode the snippet is the chunk's first words. Sources that are
/// ARCHIVED are left out even if a chunk of theirs is still there: the write path deletes their chunks in its own
/// transaction, so this only guards that promise (two primary-key probes per row of a page of at most 100).
/// </summary>
internal sealed class SearchHydrator(NpgsqlDataSource dataSource)
{
    /// <summary>Markers ts_headline puts around matches; control characters, so escaping the text cannot touch them.</summary>
    public const char StartMark = '\u0001';

    public const char StopMark = '\u0002';

    private const string HeadlineOptions = "StartSel=\u0001, StopSel=\u0002, MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=2, FragmentDelimiter=\" … \"";

    public async Task<Dictionary<(string, Guid, int), ChunkRow>> ReadAsync(
        string tenantId, string contextId, IReadOnlyList<LaneHit> page, TextMode? highlight, string text, int slop, float[]? vector)
    {
        var rows = new Dictionary<(string, Guid, int), ChunkRow>();
        if (page.Count == 0)
        {
            return rows;
        }

        var sql = new ChunkSql();
        var tenant = sql.Bind(Text(tenantId));
        var context = sql.Bind(Text(contextId));
        var tsquery = highlight is { } mode ? TextQuery.Sql(sql, mode, text, slop) : "NULL::tsquery";
        var options = sql.Bind(Text(HeadlineOptions));
        var queryVector = sql.Bind(new NpgsqlParameter { Value = vector is null ? DBNull.Value : new Vector(vector), DataTypeName = "vector" });
        var kinds = sql.Bind(TextArray(page.Select(h => h.SourceKind)));
        var ids = sql.Bind(Of(page.Select(h => h.SourceId).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid));
        var ordinals = sql.Bind(Of(page.Select(h => h.Ordinal).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer));
        var statement =
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
            """;
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(sql.Command(statement));
        await using var reader = await batch.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var metadata = JsonDocument.Parse(reader.GetString(6));
            rows[(reader.GetString(0), reader.GetGuid(1), reader.GetInt32(2))] = new ChunkRow(
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                metadata.RootElement.Clone(),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetDouble(11));
        }

        return rows;
    }
}
