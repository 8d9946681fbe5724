using Microsoft.Extensions.Logging;
using Orleans;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Outbox;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Drains a deleted context: every purger in batches (each batch its own transaction, so progress survives a
/// crash and a restart simply carries on), then flips the context to <c>deleted</c>.
/// </summary>
public sealed partial class ContextTeardownHandler(
    ContextPurge purge,
    IGrainFactory grains,
    ContextActivations activations,
    ILogger<ContextTeardownHandler> logger) : IOutboxHandler
{
    public const string Kind = "context.teardown";

    string IOutboxHandler.Kind => Kind;

    async Task IOutboxHandler.HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken)
    {
        var contextId = message.ContextId ?? throw new InvalidOperationException("Teardown row without a context id.");
        var totals = await purge.PurgeAsync(message.TenantId, contextId, renewLease, onBatch: null, cancellationToken);
        foreach (var (name, total) in totals)
        {
            LogPurged(logger, name, total, contextId);
        }

        // Grains keyed inside the context (records, schemas, folders: tenant#context#…) cache rows that are now
        // gone; drop those activations on every silo before the context reports deleted, so none serves them.
        var dropped = await activations.DeactivateAsync(AppContextKeys.Composite(message.TenantId, contextId) + "#", cancellationToken);
        LogDeactivated(logger, dropped, contextId);
        await grains.GetGrain<IAppContextGrain>(AppContextKeys.Composite(message.TenantId, contextId)).MarkDeletedAsync();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Teardown deactivated {Count} cached grains of context {ContextId}")]
    private static partial void LogDeactivated(ILogger logger, int count, string contextId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teardown purged {Count} {Purger} rows of context {ContextId}")]
    private static partial void LogPurged(ILogger logger, string purger, long count, string contextId);
}
