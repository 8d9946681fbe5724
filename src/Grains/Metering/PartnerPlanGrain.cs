using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Metering;

namespace Vectros.Grains.Metering;

/// <summary>
/// Sets a partner's plan. Nothing is cached here: each usage grain re-reads its partner's plan every
/// <see cref="UsageOptions.PlanRefresh"/>, which is how a change reaches every silo within seconds.
/// </summary>
public sealed class PartnerPlanGrain(NpgsqlDataSource dataSource, RateCard rates, TimeProvider time) : Grain, IPartnerPlanGrain
{
    async Task<PartnerPlan> IPartnerPlanGrain.SetAsync(string plan)
    {
        if (string.IsNullOrEmpty(plan) || !rates.IsPlan(plan))
        {
            throw new ValidationException("plan", "plan must be one of the configured plans (free, starter, pro, scale, enterprise by default).");
        }

        var partnerId = this.GetPrimaryKey();
        if (!await new UsageStore(dataSource).SetPlanAsync(partnerId, plan, time.GetUtcNow()))
        {
            throw new NotFoundException("No partner exists with this id.");
        }

        return new PartnerPlan(partnerId, plan, rates.AllowanceCredits(plan));
    }
}
