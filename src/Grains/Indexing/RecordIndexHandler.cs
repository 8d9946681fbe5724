using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Records;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Outbox;
using Vectros.Grains.Records;
using Vectros.Grains.Schemas;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Indexing;

/// <summary>
/// Drains <c>record.index</c> rows (<c>{"recordId","op"}</c>, one per record write): indexes the record as it is
/// now, whatever write queued the row. Every record write sets <c>index_status = PENDING_INDEX</c> and bumps the
/// version, so a record already past PENDING_INDEX is done for its current version and a repeated or superseded row
/// costs one read. The result commits only if the record is still at the version read (else the newer write's own
/// row indexes it).
/// </summary>
internal sealed partial class RecordIndexHandler(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    ChunkStore chunks,
    ChunkEmbedder embedder,
    IOptions<IndexingOptions> options,
    ILogger<RecordIndexHandler> logger) : IOutboxHandler
{
    public const string Kind = RecordWriteBatch.IndexOutboxKind;

    // Records the result only for the version the run read, and only once: a record already past PENDING_INDEX
    // was finished by an earlier run (a crash after commit, or a duplicate row).
    private const string GuardSql =
        $"""
        WITH u AS (
            UPDATE records SET index_status = $4, index_failure = $5::jsonb
            WHERE tenant_id = $1 AND context_id = $2 AND record_id = $3 AND version = $6 AND index_status = 'PENDING_INDEX'
            RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{ChunkStore.StaleState}', 'version')
        """;

    private readonly RecordStore _records = new(dataSource);
    private readonly Chunker _chunker = Chunker.From(options.Value);

    string IOutboxHandler.Kind => Kind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = (message.TenantId, message.ContextId ?? throw new InvalidOperationException("record.index row without a context id."));
        var recordId = Guid.Parse(JsonNode.Parse(message.Payload)!["recordId"]!.GetValue<string>());
        var row = await _records.LoadAsync(tenantId, contextId, recordId, cancellationToken);
        if (row is null)
        {
            // Deleted: the delete removed the chunks in its own transaction; this only makes sure.
            await chunks.RemoveAsync(tenantId, contextId, ChunkSource.Record, recordId, cancellationToken);
            return;
        }

        if (row.IndexMode == "NONE" || row.IndexStatus != "PENDING_INDEX")
        {
            return;
        }

        var schema = await SchemaBinding.OfItemAsync(grains, $"{tenantId}#{contextId}", row.TypeName, row.SchemaId);
        var visible = IndexedPayload.Visible(row.StoredPayload, schema);
        var source = new ChunkSource
        {
            Kind = ChunkSource.Record,
            Id = recordId,
            Version = row.Version,
            IndexMode = row.IndexMode,
            TypeName = row.TypeName,
            ExternalId = row.ExternalId,
            FolderId = row.FolderId,
            FolderPath = await chunks.FolderPathAsync(tenantId, contextId, row.FolderId, cancellationToken),
            UserId = row.UserId,
            Scopes = row.Scopes,
            Filter = IndexedPayload.Filter(schema, visible, undeclaredScalars: false),
            Metadata = visible,
            Created = row.CreatedAt,
        };

        IndexOutcome outcome;
        try
        {
            outcome = await BuildAsync(tenantId, contextId, row, schema, visible, source, renewLease, cancellationToken);
            await CommitAsync(tenantId, contextId, row, source, outcome, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IndexingException.EndsRun(ex, message.Attempts, options.Value.MaxAttempts))
        {
            // Retries are spent (or cannot help): the failure is the result. Other failures rethrow into the outbox's back-off.
            outcome = IndexOutcome.Failed(IndexFailures.From(ex, message.Attempts));
            LogGaveUp(logger, recordId, message.Attempts, outcome.Failure!.Code, ex.GetType().Name);
            await CommitAsync(tenantId, contextId, row, source, outcome, cancellationToken);
        }
    }

    private async Task<IndexOutcome> BuildAsync(
        string tenantId, string contextId, RecordRow row, SchemaView? schema, JsonObject visible, ChunkSource source,
        Func<Task> renewLease, CancellationToken cancellationToken)
    {
        if (row.Status == "ARCHIVED")
        {
            return IndexOutcome.Archived();
        }

        var texts = _chunker.Split(IndexedPayload.SearchableText(schema, visible));
        if (texts.Count == 0)
        {
            return IndexOutcome.Skipped();
        }

        return IndexOutcome.Indexed(await embedder.EmbedAsync(tenantId, contextId, source, texts, renewLease, cancellationToken));
    }

    private async Task CommitAsync(string tenantId, string contextId, RecordRow row, ChunkSource source, IndexOutcome outcome, CancellationToken cancellationToken)
    {
        var guard = new NpgsqlBatchCommand(GuardSql);
        guard.Parameters.AddRange(new NpgsqlParameter[]
        {
            Text(tenantId), Text(contextId), Uuid(row.Id), Text(outcome.IndexStatus), Text(outcome.Failure?.ToJson().ToJsonString()), Long(row.Version),
        });
        if (!await chunks.ReplaceAsync(tenantId, contextId, guard, source, outcome, IndexEvents.Data(source, row.Status, outcome), cancellationToken))
        {
            LogStale(logger, row.Id, row.Version);
            return;
        }

        LogIndexed(logger, row.Id, row.Version, outcome.IndexStatus, outcome.Chunks.Count);
        try
        {
            await grains.GetGrain<IRecordGrain>($"{tenantId}#{contextId}#{row.Id}")
                .IndexedAsync(row.Version, outcome.IndexStatus, outcome.Failure?.ToJson().ToJsonString());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The state is committed; a grain that missed this re-reads it when it is next activated.
            LogInvalidateFailed(logger, row.Id, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Record {RecordId} v{Version} indexed: {IndexStatus}, {ChunkCount} chunks")]
    private static partial void LogIndexed(ILogger logger, Guid recordId, long version, string indexStatus, int chunkCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Record {RecordId} moved past v{Version} while indexing; the newer write's row indexes it")]
    private static partial void LogStale(ILogger logger, Guid recordId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record {RecordId} failed to index after {Attempts} attempts: {Code} ({ErrorType})")]
    private static partial void LogGaveUp(ILogger logger, Guid recordId, int attempts, string code, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Record {RecordId} indexed but its grain could not be told ({ErrorType})")]
    private static partial void LogInvalidateFailed(ILogger logger, Guid recordId, string errorType);
}
