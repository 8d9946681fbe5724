using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Metering;

namespace Vectros.Grains.Metering;

/// <summary>
/// The meter the write, ingest and search paths call. Kept off the hot path: counting is a one-way call to the usage
/// grain of the tenant and month (the caller does not wait for it), and each silo remembers a tenant's allowance state
/// for <see cref="UsageOptions.AllowanceCacheTime"/> (≤ 1 s), so a busy tenant costs one grain call per second for the
/// check, not one per write. The price of that cache: a tenant can overshoot its allowance by about a second of work.
/// The month comes from the injected <see cref="TimeProvider"/>, so the allowance resets when the month turns.
/// </summary>
public sealed class UsageMeter(IGrainFactory grains, TimeProvider time, IOptions<UsageOptions> options) : IUsageMeter
{
    private readonly ConcurrentDictionary<string, Checked> _checked = new(StringComparer.Ordinal);

    public async ValueTask DemandAllowanceAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        if ((await CheckAsync(tenantId)).Exhausted)
        {
            throw new PaymentRequiredException(PaymentRequiredException.SubscriptionLimitExceeded,
                "This environment has used its monthly credit allowance; it resets at the start of next month (UTC), or sooner with a larger plan.");
        }
    }

    public async ValueTask<string?> PlanOfAsync(string tenantId, CancellationToken cancellationToken = default) =>
        (await CheckAsync(tenantId)).Plan;

    /// <summary>The tenant's allowance state and plan, from this silo's cache while it is fresh.</summary>
    private async ValueTask<Checked> CheckAsync(string tenantId)
    {
        var now = time.GetUtcNow();
        var period = UsagePeriod.Of(now);
        if (!_checked.TryGetValue(tenantId, out var known) || known.Period != period || now - known.At >= options.Value.AllowanceCacheTime)
        {
            var state = await grains.GetGrain<IUsageGrain>(UsagePeriod.GrainKey(tenantId, period)).GetAllowanceAsync();
            known = new Checked(period, now, state.Exhausted, state.Plan);
            _checked[tenantId] = known;
        }

        return known;
    }

    public ValueTask CountAsync(string tenantId, string contextId, IReadOnlyList<UsageIncrement> increments)
    {
        if (increments.Count == 0)
        {
            return ValueTask.CompletedTask;
        }

        var counts = new UsageCount[increments.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = new UsageCount(increments[i].Metric, increments[i].Amount);
        }

        var period = UsagePeriod.Of(time.GetUtcNow());
        return new ValueTask(grains.GetGrain<IUsageGrain>(UsagePeriod.GrainKey(tenantId, period)).AddAsync(contextId, counts));
    }

    private readonly record struct Checked(string Period, DateTimeOffset At, bool Exhausted, string Plan);
}
