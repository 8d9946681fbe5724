using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.Grains.Logs;

/// <summary>Queries one tenant's logs (the grain key); every statement binds that tenant.</summary>
[StatelessWorker]
public sealed class ApiLogQueryGrain(NpgsqlDataSource dataSource) : Grain, IApiLogQueryGrain
{
    private readonly ApiLogStore _store = new(dataSource);

    Task<ApiCallPage> IApiLogQueryGrain.QueryCallsAsync(ApiCallQuery query) =>
        _store.QueryCallsAsync(this.GetPrimaryKeyString(), query);

    Task<ReadAccessPage> IApiLogQueryGrain.QueryReadsAsync(ReadAccessQuery query)
    {
        Guid? after = null;
        if (query.StartFrom is { } cursor)
        {
            after = Guid.TryParseExact(cursor, "N", out var id)
                ? id
                : throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
        }

        return _store.QueryReadsAsync(this.GetPrimaryKeyString(), query, after);
    }
}
