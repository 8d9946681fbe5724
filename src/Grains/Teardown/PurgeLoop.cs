namespace Vectros.Grains.Teardown;

/// <summary>
/// The batch loop every teardown shares: delete a bounded batch (its own transaction), renew the outbox lease,
/// report the batch, repeat until a batch deletes nothing. A crash loses at most the batch in flight; the job's next
/// run simply finds fewer rows.
/// </summary>
public static class PurgeLoop
{
    /// <summary>Runs <paramref name="purgeBatch"/> until it returns 0; returns the total deleted.</summary>
    public static async Task<long> DrainAsync(
        Func<int, CancellationToken, Task<int>> purgeBatch,
        int batchSize,
        Func<Task> renewLease,
        Func<int, Task>? onBatch,
        CancellationToken cancellationToken)
    {
        long total = 0;
        int deleted;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            deleted = await purgeBatch(batchSize, cancellationToken);
            total += deleted;
            if (deleted > 0 && onBatch is not null)
            {
                await onBatch(deleted);
            }

            await renewLease();
        }
        while (deleted > 0);

        return total;
    }
}
