using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.AppContexts;

/// <summary>Pages through a tenant's contexts. The cursor is the last item's composite id (spec: the id doubles as cursor).</summary>
[StatelessWorker]
public sealed class AppContextQueryGrain(NpgsqlDataSource dataSource) : Grain, IAppContextQueryGrain
{
    private readonly AppContextStore _store = new(dataSource);

    async Task<AppContextPage> IAppContextQueryGrain.ListAsync(string? startFrom, int limit)
    {
        var tenantId = this.GetPrimaryKeyString();
        string? after = null;
        if (!string.IsNullOrEmpty(startFrom))
        {
            // A cursor from another tenant is simply not a cursor of ours: refuse rather than leak ordering.
            if (!startFrom.StartsWith(tenantId + "#", StringComparison.Ordinal))
            {
                throw new ValidationException("startFrom", "startFrom is not a valid cursor.");
            }

            after = startFrom[(tenantId.Length + 1)..];
        }

        var rows = await _store.ListAsync(tenantId, after, limit + 1);
        var page = rows.Take(limit).ToList();
        return new AppContextPage(page, rows.Count > limit ? page[^1].Id : null);
    }
}
