using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Inference;
using Vectros.Grains.Abstractions.Metering;

namespace Vectros.Grains.Metering;

/// <summary>
/// Gathers what <c>GET /v1/usage</c> shows, keyed by the caller's tenant id: the counters of the partner's
/// environments for the month (read from their usage grains, so pending counts are included), the plan's allowance and
/// the caller's environment's prepaid balance. A confined caller gets only its own environment, narrowed to its context.
/// Stateless, so concurrent reports run side by side.
/// </summary>
[StatelessWorker]
public sealed class UsageReportGrain(NpgsqlDataSource dataSource, RateCard rates) : Grain, IUsageReportGrain
{
    async Task<UsageReportData> IUsageReportGrain.GetAsync(string? confinedContext, int year, int month)
    {
        var callerTenant = this.GetPrimaryKeyString();
        var period = UsagePeriod.Of(year, month);
        var (siblings, plan) = await new UsageStore(dataSource).SiblingsAsync(callerTenant);
        var tenants = new List<TenantUsage>();
        long callerUsed = 0;
        foreach (var (tenantId, environment) in siblings)
        {
            var own = tenantId == callerTenant;
            if (confinedContext is not null && !own)
            {
                continue;
            }

            var lines = await GrainFactory.GetGrain<IUsageGrain>(UsagePeriod.GrainKey(tenantId, period)).GetLinesAsync();
            if (own)
            {
                callerUsed = lines.Sum(l => l.Milli);
            }

            var visible = confinedContext is null ? lines : lines.Where(l => l.ContextId == confinedContext).ToList();
            tenants.Add(new TenantUsage(tenantId, environment, visible, visible.Sum(l => l.Milli)));
        }

        var balance = await GrainFactory.GetGrain<IInferenceBalanceGrain>(callerTenant).GetBalanceCentsAsync();
        return new UsageReportData(period, plan ?? rates.DefaultPlan, rates.AllowanceCredits(plan), callerUsed, balance, tenants);
    }
}
