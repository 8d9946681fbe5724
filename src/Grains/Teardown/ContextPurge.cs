using Microsoft.Extensions.Options;

namespace Vectros.Grains.Teardown;

/// <summary>
/// Deletes all of one context's data with every registered <see cref="IContextDataPurger"/>, batch by batch. Shared by
/// the context teardown and the tenant teardown (which runs it for each of the tenant's contexts).
/// </summary>
public sealed class ContextPurge(IEnumerable<IContextDataPurger> purgers, IOptions<TeardownOptions> options)
{
    /// <param name="onBatch">Told the purger name and row count after each non-empty batch (progress, logs).</param>
    /// <returns>Rows deleted per purger name.</returns>
    public async Task<IReadOnlyDictionary<string, long>> PurgeAsync(
        string tenantId, string contextId, Func<Task> renewLease, Func<string, int, Task>? onBatch, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var purger in purgers)
        {
            var total = await PurgeLoop.DrainAsync(
                (size, ct) => purger.PurgeBatchAsync(tenantId, contextId, size, ct),
                options.Value.BatchSize,
                renewLease,
                onBatch is null ? null : count => onBatch(purger.Name, count),
                cancellationToken);
            totals[purger.Name] = totals.GetValueOrDefault(purger.Name) + total;
        }

        return totals;
    }
}
