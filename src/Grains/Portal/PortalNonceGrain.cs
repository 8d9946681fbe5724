using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Domains;

namespace Vectros.Grains.Portal;

/// <summary>
/// Nonces live in PostgreSQL so every silo refuses the same replay. A nonce only has to be remembered while its
/// timestamp is acceptable (±5 min); rows older than an hour are dropped on the way.
/// </summary>
[StatelessWorker]
public sealed class PortalNonceGrain(NpgsqlDataSource dataSource) : Grain, IPortalNonceGrain
{
    async Task<bool> IPortalNonceGrain.TryUseAsync(string nonce)
    {
        await using var command = dataSource.CreateCommand("""
            WITH expired AS (DELETE FROM portal_nonces WHERE seen_at < now() - interval '1 hour')
            INSERT INTO portal_nonces (nonce) VALUES ($1) ON CONFLICT (nonce) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = nonce });
        return await command.ExecuteNonQueryAsync() == 1;
    }
}
