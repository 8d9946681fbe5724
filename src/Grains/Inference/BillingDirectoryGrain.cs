using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.Grains.Inference;

/// <summary>Finds a partner's tenant for the developer portal's billing routes; a read, so any worker answers.</summary>
[StatelessWorker]
public sealed class BillingDirectoryGrain(Npgsql.NpgsqlDataSource dataSource) : Grain, IBillingDirectoryGrain
{
    public Task<string?> TenantOfAsync(Guid partnerId, TenantEnvironment environment) =>
        new InferenceLedgerStore(dataSource).TenantOfAsync(partnerId, environment);
}
