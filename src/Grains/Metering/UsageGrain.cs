using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Metering;

namespace Vectros.Grains.Metering;

/// <summary>
/// The counters of one tenant and month (<c>tenant#yyyy-MM</c>). Counts arrive one-way from the write paths and wait
/// in <see cref="_pending"/>; a grain timer persists them every flush interval and deactivation persists the rest, so
/// a graceful stop loses nothing and a silo crash loses at most one interval of counts. Flushes are additive upserts
/// of only this activation's increments, so a second activation after a silo failure can neither lose nor double a
/// flushed batch. The month's use (what was loaded, plus what this activation counted) answers allowance checks.
/// </summary>
public sealed partial class UsageGrain(NpgsqlDataSource dataSource, RateCard rates, IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageGrain> logger)
    : Grain, IUsageGrain
{
    private readonly UsageStore _store = new(dataSource);
    private Dictionary<(string Context, string Metric), long> _persisted = [];
    private Dictionary<(string Context, string Metric), long> _pending = [];
    private string _tenantId = "";
    private string _period = "";
    private long? _limitMilli;
    private string _plan = "";
    private DateTimeOffset _limitReadAt = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var cut = key.LastIndexOf('#');
        if (cut <= 0)
        {
            throw new ArgumentException($"'{key}' is not a usage key (tenant#yyyy-MM).");
        }

        (_tenantId, _period) = (key[..cut], key[(cut + 1)..]);
        _persisted = await _store.LoadAsync(_tenantId, _period);
        var interval = options.Value.FlushInterval;
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = false });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        await FlushAsync(cancellationToken);

    Task IUsageGrain.AddAsync(string contextId, IReadOnlyList<UsageCount> counts)
    {
        foreach (var count in counts)
        {
            if (count.Amount != 0)
            {
                var key = (contextId, count.Metric);
                _pending[key] = _pending.GetValueOrDefault(key) + count.Amount;
            }
        }

        return Task.CompletedTask;
    }

    async Task<AllowanceState> IUsageGrain.GetAllowanceAsync()
    {
        var now = time.GetUtcNow();
        if (now - _limitReadAt >= options.Value.PlanRefresh)
        {
            // Read every refresh interval, so a plan change reaches this grain (one activation in the cluster) within it.
            _plan = await _store.PlanOfTenantAsync(_tenantId) ?? rates.DefaultPlan;
            var credits = rates.AllowanceCredits(_plan);
            _limitMilli = credits * 1000;
            _limitReadAt = now;
        }

        return new AllowanceState(Lines().Sum(l => l.Milli), _limitMilli, _plan);
    }

    Task<IReadOnlyList<UsageLine>> IUsageGrain.GetLinesAsync() => Task.FromResult<IReadOnlyList<UsageLine>>(Lines().ToList());

    private IEnumerable<UsageLine> Lines()
    {
        var merged = new Dictionary<(string Context, string Metric), long>(_persisted);
        foreach (var (key, amount) in _pending)
        {
            merged[key] = merged.GetValueOrDefault(key) + amount;
        }

        return merged.Select(p => new UsageLine(p.Key.Context, p.Key.Metric, p.Value, rates.Milli(p.Key.Metric, p.Value)));
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        // Swap first: the timer does not interleave with calls, but a failed write must hand its batch back intact.
        var batch = _pending;
        _pending = [];
        try
        {
            await _store.AddAsync(_tenantId, _period, batch);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            foreach (var (key, amount) in batch)
            {
                _pending[key] = _pending.GetValueOrDefault(key) + amount;
            }

            LogFlushFailed(logger, ex, _period);
            return;
        }

        foreach (var (key, amount) in batch)
        {
            _persisted[key] = _persisted.GetValueOrDefault(key) + amount;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage counters of period {Period} could not be persisted; kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex, string period);
}
