using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Schemas;
using Vectros.Grains.Blobs;
using Vectros.Grains.Outbox;
using Vectros.Grains.Schemas;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Indexing;

/// <summary>
/// Drains <c>document.index</c> rows (<c>{"documentId","op"}</c>): moves an uploaded file through
/// <c>UPLOADED → EXTRACTING → PENDING_INDEX</c> (text stored in <c>body</c>), then indexes the text, ending
/// <c>INDEXED | SKIPPED | STORED | FAILED</c> in the transaction that swaps the chunk set and writes the event. A
/// version whose run finished (documents.indexed_version) is never run again; every state write is guarded by the
/// version read, so a document changed meanwhile is left to the newer write's row.
/// </summary>
internal sealed partial class DocumentIndexHandler(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    ChunkStore chunks,
    ChunkEmbedder embedder,
    IBlobStore blobs,
    ITextExtractor extractor,
    IOptions<IndexingOptions> options,
    ILogger<DocumentIndexHandler> logger) : IOutboxHandler
{
    public const string Kind = "document.index";

    private readonly DocumentIndexStore _documents = new(dataSource);
    private readonly Chunker _chunker = Chunker.From(options.Value);

    string IOutboxHandler.Kind => Kind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var (tenantId, contextId) = (message.TenantId, message.ContextId ?? throw new InvalidOperationException("document.index row without a context id."));
        var documentId = Guid.Parse(JsonNode.Parse(message.Payload)!["documentId"]!.GetValue<string>());
        var row = await _documents.LoadAsync(tenantId, contextId, documentId, cancellationToken);
        if (row is null)
        {
            // Deleted: the delete removed the chunks in its own transaction; this only makes sure.
            await chunks.RemoveAsync(tenantId, contextId, ChunkSource.Document, documentId, cancellationToken);
            return;
        }

        if (row.IndexedVersion == row.Version || row.IndexStatus == "PENDING_UPLOAD")
        {
            return;
        }

        var schema = row.TypeName is null ? null : await SchemaBinding.OfItemAsync(grains, $"{tenantId}#{contextId}", row.TypeName, row.SchemaId);
        var source = await SourceAsync(tenantId, contextId, row, schema, cancellationToken);
        try
        {
            var text = await TextAsync(tenantId, contextId, row, renewLease, cancellationToken);
            if (text is null)
            {
                return;
            }

            var outcome = text.Failure is { } failure
                ? IndexOutcome.Failed(failure)
                : await BuildAsync(tenantId, contextId, row, source, text.Text!, renewLease, cancellationToken);
            await CommitAsync(tenantId, contextId, row, source, outcome, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IndexingException.EndsRun(ex, message.Attempts, options.Value.MaxAttempts))
        {
            // Retries are spent (or cannot help): the failure is the result. Other failures rethrow into the outbox's back-off.
            var outcome = IndexOutcome.Failed(IndexFailures.From(ex, message.Attempts));
            LogGaveUp(logger, documentId, message.Attempts, outcome.Failure!.Code, ex.GetType().Name);
            await CommitAsync(tenantId, contextId, row, source, outcome, cancellationToken);
        }
    }

    /// <summary>
    /// The text to index. An upload is extracted and its text stored (PENDING_INDEX) first; a file whose text was not
    /// kept (storeText false) is extracted again, in memory. Null when the document moved on under this run.
    /// </summary>
    private async Task<SourceText?> TextAsync(string tenantId, string contextId, DocumentIndexRow row, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        if (row.IndexStatus is "UPLOADED" or "EXTRACTING")
        {
            // EXTRACTING here is a run that stopped mid-way (a crash): extract again.
            if (row.IndexStatus == "UPLOADED" && !await _documents.StartExtractingAsync(tenantId, contextId, row, cancellationToken))
            {
                return null;
            }

            await InvalidateAsync(tenantId, contextId, row.Id);
            var extracted = await ExtractAsync(tenantId, contextId, row, renewLease, cancellationToken);
            if (extracted.Failure is not null)
            {
                return extracted;
            }

            if (!await _documents.StoreTextAsync(tenantId, contextId, row, extracted.Text!, Encoding.UTF8.GetByteCount(extracted.Text!), cancellationToken))
            {
                return null;
            }

            await InvalidateAsync(tenantId, contextId, row.Id);
            return extracted;
        }

        if (row.Body is null && row.Source == "FILE" && row.BlobKey is not null)
        {
            return await ExtractAsync(tenantId, contextId, row, renewLease, cancellationToken);
        }

        return new SourceText(row.Body ?? "", null);
    }

    private async Task<SourceText> ExtractAsync(string tenantId, string contextId, DocumentIndexRow row, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var bytes = row.BlobKey is null ? null : await blobs.GetAsync(tenantId, contextId, row.BlobKey, cancellationToken);
        if (bytes is null)
        {
            return new SourceText(null, new IndexFailure(IndexFailure.SourceUnavailable, "The uploaded file's bytes are missing from the blob store."));
        }

        await renewLease();
        var extracted = await extractor.ExtractAsync(bytes, row.FileType ?? "application/octet-stream", row.FileName, cancellationToken);
        await renewLease();
        return extracted.FailureCode is { } code
            ? new SourceText(null, new IndexFailure(code, extracted.FailureMessage ?? $"Text could not be extracted from '{row.FileType}'."))
            : new SourceText(Clean(extracted.Text ?? ""), null);
    }

    private async Task<IndexOutcome> BuildAsync(
        string tenantId, string contextId, DocumentIndexRow row, ChunkSource source, string text, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        if (row.IndexMode == "NONE")
        {
            return IndexOutcome.Stored();
        }

        if (row.Status == "ARCHIVED")
        {
            return IndexOutcome.Archived();
        }

        var texts = _chunker.Split(text);
        if (texts.Count == 0)
        {
            return IndexOutcome.Skipped();
        }

        return IndexOutcome.Indexed(await embedder.EmbedAsync(tenantId, contextId, source, texts, renewLease, cancellationToken));
    }

    private async Task CommitAsync(string tenantId, string contextId, DocumentIndexRow row, ChunkSource source, IndexOutcome outcome, CancellationToken cancellationToken)
    {
        var guard = new NpgsqlBatchCommand(DocumentIndexStore.FinishSql);
        guard.Parameters.AddRange(new NpgsqlParameter[]
        {
            Text(tenantId), Text(contextId), Uuid(row.Id), Text(outcome.IndexStatus), Text(outcome.Failure?.ToJson().ToJsonString()),
            Long(row.Version), Long(row.ContentVersion),
        });
        if (!await chunks.ReplaceAsync(tenantId, contextId, guard, source, outcome, IndexEvents.Data(source, row.Status, outcome), cancellationToken))
        {
            LogStale(logger, row.Id, row.Version);
            return;
        }

        LogIndexed(logger, row.Id, row.Version, outcome.IndexStatus, outcome.Chunks.Count);
        await InvalidateAsync(tenantId, contextId, row.Id);
    }

    private async Task<ChunkSource> SourceAsync(string tenantId, string contextId, DocumentIndexRow row, SchemaView? schema, CancellationToken cancellationToken)
    {
        var visible = IndexedPayload.Visible(row.Payload, schema);
        return new ChunkSource
        {
            Kind = ChunkSource.Document,
            Id = row.Id,
            Version = row.Version,
            IndexMode = row.IndexMode,
            TypeName = row.TypeName,
            Title = row.Title,
            ExternalId = row.ExternalId,
            FolderId = row.FolderId,
            FolderPath = await chunks.FolderPathAsync(tenantId, contextId, row.FolderId, cancellationToken),
            UserId = row.UserId,
            Scopes = row.Scopes,
            Filter = IndexedPayload.Filter(schema, visible, undeclaredScalars: true),
            Metadata = visible,
            Created = row.CreatedAt,
        };
    }

    private async Task InvalidateAsync(string tenantId, string contextId, Guid documentId)
    {
        try
        {
            await grains.GetGrain<IDocumentGrain>($"{tenantId}#{contextId}#{documentId}").InvalidateAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The state is committed; a grain that missed this re-reads it when it is next activated.
            LogInvalidateFailed(logger, documentId, ex.GetType().Name);
        }
    }

    /// <summary>PostgreSQL text cannot hold NUL, which PDFs and odd encodings produce.</summary>
    private static string Clean(string text) => text.Contains('\0', StringComparison.Ordinal) ? text.Replace('\0', ' ') : text;

    /// <summary>Text to index, or why there is none.</summary>
    private sealed record SourceText(string? Text, IndexFailure? Failure);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Document {DocumentId} v{Version} indexed: {IndexStatus}, {ChunkCount} chunks")]
    private static partial void LogIndexed(ILogger logger, Guid documentId, long version, string indexStatus, int chunkCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Document {DocumentId} moved past v{Version} while indexing; the newer write's row indexes it")]
    private static partial void LogStale(ILogger logger, Guid documentId, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document {DocumentId} failed to index after {Attempts} attempts: {Code} ({ErrorType})")]
    private static partial void LogGaveUp(ILogger logger, Guid documentId, int attempts, string code, string errorType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document {DocumentId} indexed but its grain could not be told ({ErrorType})")]
    private static partial void LogInvalidateFailed(ILogger logger, Guid documentId, string errorType);
}
