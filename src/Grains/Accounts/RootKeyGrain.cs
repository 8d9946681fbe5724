using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.Grains.Accounts;

/// <summary>Revocation of one root key. The front end's credential cache expires within seconds, which bounds
/// how long a revoked key keeps working (issue #2: refused within 5 s).</summary>
public sealed class RootKeyGrain(NpgsqlDataSource dataSource) : Grain, IRootKeyGrain
{
    async Task IRootKeyGrain.RevokeAsync()
    {
        await using var cmd = dataSource.CreateCommand(
            "UPDATE root_keys SET revoked_at = coalesce(revoked_at, now()) WHERE key_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = this.GetPrimaryKeyString() });
        if (await cmd.ExecuteNonQueryAsync() == 0)
        {
            throw new NotFoundException("No such key.");
        }
    }
}
