using System.Text.Json;
using Npgsql;
using Vectros.Grains.Abstractions.Search;

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
    public async Task<Dictionary<(string, Guid, int), ChunkRow>> ReadAsync(
        string tenantId, string contextId, IReadOnlyList<LaneHit> page, TextMode? highlight, string text, int slop, float[]? vector, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<(string, Guid, int), ChunkRow>();
        if (page.Count == 0)
        {
            return rows;
        }

        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(PageStatement.Read(tenantId, contextId, page, highlight, text, slop, vector));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
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
