namespace Vectros.Grains.Outbox;

/// <summary>Does the work for one outbox kind. Must be idempotent: after a crash the same row is handed out again.</summary>
public interface IOutboxHandler
{
    string Kind { get; }

    /// <param name="message">The leased row.</param>
    /// <param name="renewLease">Extends the lease; call it between steps of long work so no other silo takes the row.</param>
    /// <param name="cancellationToken">Signalled on shutdown: stop between steps and let the lease lapse.</param>
    Task HandleAsync(OutboxMessage message, Func<Task> renewLease, CancellationToken cancellationToken);
}
