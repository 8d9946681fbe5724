namespace Vectros.Grains.Outbox;

/// <summary>
/// Wakes this silo's <see cref="OutboxWorker"/> when a write on this silo has committed outbox rows, so their work
/// (indexing, mostly) starts at once instead of at the next poll. Rows committed on other silos are still found by
/// every worker's poll; a wake that finds nothing costs one lease query.
/// </summary>
public sealed class OutboxSignal
{
    // At most one pending wake: any number of writes during a drain need only one more look afterwards.
    private readonly SemaphoreSlim _pending = new(0, 1);

    public void Wake()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake is already pending.
        }
    }

    /// <summary>Waits for a wake or for <paramref name="pollInterval"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan pollInterval, CancellationToken cancellationToken) => _pending.WaitAsync(pollInterval, cancellationToken);
}
