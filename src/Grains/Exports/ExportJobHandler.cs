using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Exports;
using Vectros.Grains.Blobs;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Exports;

/// <summary>
/// Runs an export job (<c>export.job</c> outbox rows): processing, then the payload streamed into the blob store
/// line by line, then completed with its manifest. A crash or restart mid-way leaves the row to be leased again,
/// and the rerun starts the payload over (the put replaces the partial blob), so the result is the same as one
/// uninterrupted run; the job is served only once its row says completed. After <see cref="MaxAttempts"/> failed
/// runs the job is marked failed rather than retried for ever.
/// </summary>
public sealed partial class ExportJobHandler(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    IBlobStore blobs,
    IExportLineFormatter formatter,
    IOptions<ExportOptions> options,
    TimeProvider time,
    ILogger<ExportJobHandler> logger) : IOutboxHandler
{
    public const int MaxAttempts = 5;

    private readonly ExportStore _store = new(dataSource);

    string IOutboxHandler.Kind => ExportStore.RunKind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var exportId = ExportStore.ExportIdOf(message);
        if (await _store.LoadAsync(message.TenantId, exportId) is not { } job
            || job.View.Status is ExportJobView.Completed or ExportJobView.Failed)
        {
            return;
        }

        await _store.StartAsync(message.TenantId, exportId, time.GetUtcNow());
        ExportManifestView manifest;
        try
        {
            manifest = await WriteAsync(message.TenantId, exportId, job.View.Scope, job.Plan, renewLease, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && message.Attempts >= MaxAttempts)
        {
            LogFailed(logger, exportId, message.Attempts, ex.GetType().Name);
            await blobs.DeleteAsync(message.TenantId, ExportKeys.BlobContext, exportId, CancellationToken.None);
            var now = time.GetUtcNow();
            await _store.FinishAsync(message.TenantId, exportId, null, "internal_error", now, now + options.Value.Retention);
            return;
        }

        var at = time.GetUtcNow();
        await _store.FinishAsync(message.TenantId, exportId, manifest, null, at, at + options.Value.Retention);
        LogCompleted(logger, exportId, manifest.TotalRecords, manifest.TotalDocuments, manifest.SizeBytes);
    }

    private async Task<ExportManifestView> WriteAsync(
        string tenantId, string exportId, string scope, ExportPlan plan, Func<Task> renewLease, CancellationToken ct)
    {
        NdjsonExportWriter writer;
        await using (var output = await blobs.OpenWriteAsync(tenantId, ExportKeys.BlobContext, exportId, ct))
        {
            writer = new NdjsonExportWriter(output, formatter);
            await new ExportRun(dataSource, grains, tenantId, plan, writer, options.Value.PageSize, renewLease, ct).RunAsync(exportId, scope);
        }

        return new ExportManifestView(ExportLineTypes.FormatVersion, "ndjson", writer.SizeBytes, plan.Contexts,
            writer.Records, writer.Documents, writer.Folders, writer.Identities);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Export {ExportId} completed: {Records} records, {Documents} documents, {Bytes} bytes")]
    private static partial void LogCompleted(ILogger logger, string exportId, long records, long documents, long bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Export {ExportId} failed after {Attempts} attempts ({ErrorType})")]
    private static partial void LogFailed(ILogger logger, string exportId, int attempts, string errorType);
}
