using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Pgvector;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Indexing;

/// <summary>
/// SQL of the <c>chunks</c> table (and the <c>events</c> row that reports a change to it). A source's chunk set is
/// only ever replaced whole, in the transaction that records the source's new processing state, so a search sees
/// the old set or the new one, never both or neither.
/// </summary>
internal sealed class ChunkStore(NpgsqlDataSource dataSource)
{
    /// <summary>Raised (through <c>vectros_require</c>) by a guard whose source moved on: the run's result is dropped.</summary>
    public const string StaleState = "VX409";

    /// <summary>Rows per INSERT statement: bounds one message's size for very long documents (all still one transaction).</summary>
    private const int InsertSlice = 500;

    private const string DeleteSql =
        "DELETE FROM chunks WHERE tenant_id = $1 AND context_id = $2 AND source_kind = $3 AND source_id = $4";

    private const string InsertSql =
        """
        INSERT INTO chunks (tenant_id, context_id, source_kind, source_id, ordinal, source_version, index_mode, type_name, title,
            external_id, folder_id, folder_path, user_id, scopes, filter, metadata, source_created, chunk_text, context_text, embedding)
        SELECT $1, $2, $3, $4, c.ordinal, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15::jsonb, $16, c.chunk_text, c.context_text, c.embedding
        FROM unnest($17::integer[], $18::text[], $19::text[], $20::vector[]) AS c(ordinal, chunk_text, context_text, embedding)
        """;

    // The id is derived from the source, its version and the event type, so even a run that slipped past the
    // guard could not report the same change twice.
    private const string EventSql =
        """
        INSERT INTO events (event_id, tenant_id, context_id, type, source_id, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>
    /// One transaction, one round trip: <paramref name="guard"/> (which records the new processing state and raises
    /// <see cref="StaleState"/> when the source changed or is already done), the old chunk set out, the new one in,
    /// and the event. False when the guard refused: nothing was written.
    /// </summary>
    public async Task<bool> ReplaceAsync(
        string tenantId, string contextId, NpgsqlBatchCommand guard, ChunkSource source, IndexOutcome outcome, JsonObject? eventData,
        CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(conn);
        batch.BatchCommands.Add(guard);
        batch.BatchCommands.Add(Command(DeleteSql, Text(tenantId), Text(contextId), Text(source.Kind), Uuid(source.Id)));
        foreach (var slice in outcome.Chunks.Chunk(InsertSlice))
        {
            batch.BatchCommands.Add(Insert(tenantId, contextId, source, slice));
        }

        if (outcome.Announce && eventData is not null)
        {
            var type = outcome.EventType(source.Kind);
            batch.BatchCommands.Add(Command(EventSql,
                Uuid(IndexEvents.Id(tenantId, contextId, type, source.Id, source.Version)), Text(tenantId), Text(contextId), Text(type),
                Uuid(source.Id), Text(eventData.ToJsonString())));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == StaleState)
        {
            return false;
        }
    }

    /// <summary>Drops a source's chunks outside any state change (its row is gone: a delete already removed them, this makes sure).</summary>
    public async Task RemoveAsync(string tenantId, string contextId, string kind, Guid sourceId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(DeleteSql);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(contextId), Text(kind), Uuid(sourceId)});
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The vectors the source's current chunks already have, by chunk text: a re-index after a change that left
    /// the text alone (scopes, a non-searchable field, a title) embeds nothing again.
    /// </summary>
    public async Task<Dictionary<string, Vector>> EmbeddingsAsync(string tenantId, string contextId, string kind, Guid sourceId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT chunk_text, embedding FROM chunks
            WHERE tenant_id = $1 AND context_id = $2 AND source_kind = $3 AND source_id = $4 AND embedding IS NOT NULL
            """);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(contextId), Text(kind), Uuid(sourceId)});
        var vectors = new Dictionary<string, Vector>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            vectors.TryAdd(reader.GetString(0), reader.GetFieldValue<Vector>(1));
        }

        return vectors;
    }

    /// <summary>The folder and its ancestors, root first (bounded, so a corrupt cycle cannot loop).</summary>
    public async Task<IReadOnlyList<Guid>> FolderPathAsync(string tenantId, string contextId, Guid? folderId, CancellationToken cancellationToken)
    {
        if (folderId is null)
        {
            return [];
        }

        await using var cmd = dataSource.CreateCommand(
            """
            WITH RECURSIVE p AS (
                SELECT folder_id, parent_id, 0 AS depth FROM folders WHERE tenant_id = $1 AND context_id = $2 AND folder_id = $3
                UNION ALL
                SELECT f.folder_id, f.parent_id, p.depth + 1 FROM folders f
                JOIN p ON f.tenant_id = $1 AND f.context_id = $2 AND f.folder_id = p.parent_id
                WHERE p.depth < 64)
            SELECT coalesce(array_agg(folder_id ORDER BY depth DESC), '{}') FROM p
            """);
        cmd.Parameters.AddRange(new NpgsqlParameter[] {Text(tenantId), Text(contextId), Uuid(folderId)});
        return (Guid[])(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlBatchCommand Insert(string tenantId, string contextId, ChunkSource source, EmbeddedChunk[] chunks) => Command(InsertSql,
        Text(tenantId), Text(contextId), Text(source.Kind), Uuid(source.Id), Long(source.Version), Text(source.IndexMode), Text(source.TypeName),
        Text(source.Title), Text(source.ExternalId), Uuid(source.FolderId), Of(source.FolderPath.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid),
        Uuid(source.UserId), TextArray(source.Scopes), Text(source.Filter.ToJsonString()), Text(source.Metadata.ToJsonString()), Time(source.Created),
        Of(chunks.Select(c => c.Chunk.Ordinal).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer),
        TextArray(chunks.Select(c => c.Chunk.ChunkText)),
        TextArray(chunks.Select(c => c.Chunk.ContextText)),
        new NpgsqlParameter { Value = chunks.Select(c => c.Embedding).ToArray() });

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        return cmd;
    }
}
