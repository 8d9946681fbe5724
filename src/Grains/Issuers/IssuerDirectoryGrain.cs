using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Issuers;

namespace Vectros.Grains.Issuers;

/// <summary>Registrations by <c>iss</c> across tenants, for the unauthenticated exchange. Read straight from the table.</summary>
[StatelessWorker]
public sealed class IssuerDirectoryGrain(NpgsqlDataSource dataSource) : Grain, IIssuerDirectoryGrain
{
    private readonly IssuerStore _store = new(dataSource);

    Task<IReadOnlyList<IssuerView>> IIssuerDirectoryGrain.FindByIssuerAsync(string issuer) => _store.FindByIssuerAsync(issuer);
}
