using Npgsql;
using Vectros.Grains.Abstractions.Exports;
using Vectros.Grains.Blobs;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Exports;

/// <summary>
/// Deletes an export once its retention is over (<c>export.purge</c> rows, due at <c>retain_until</c>): the payload
/// first, then the job row, so a crash in between leaves a row whose purge runs again.
/// </summary>
public sealed class ExportPurgeHandler(NpgsqlDataSource dataSource, IBlobStore blobs) : IOutboxHandler
{
    string IOutboxHandler.Kind => ExportStore.PurgeKind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var exportId = ExportStore.ExportIdOf(message);
        await blobs.DeleteAsync(message.TenantId, ExportKeys.BlobContext, exportId, cancellationToken);
        await new ExportStore(dataSource).DeleteAsync(message.TenantId, exportId);
    }
}
