using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.Grains.Logs;

/// <summary>
/// Writes the front ends' buffered log batches. A stateless worker: each silo takes the batches of the front end
/// beside it, so logging adds no cross-silo hop, and no turn ever waits on another's COPY.
/// </summary>
[StatelessWorker]
public sealed class ApiLogWriterGrain(NpgsqlDataSource dataSource, IOptions<ApiLogRetentionOptions> options) : Grain, IApiLogWriterGrain
{
    private readonly ApiLogStore _store = new(dataSource);

    Task IApiLogWriterGrain.AppendAsync(ApiLogBatch batch)
    {
        var keep = options.Value.AccessLogMaxAge;
        var reads = batch.Reads.Select(r => r with { RetainUntil = r.CreatedAt + keep }).ToList();
        return _store.AppendAsync(batch.Calls, reads);
    }
}
