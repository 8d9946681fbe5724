using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Vectros.Grains.Security;

/// <summary>
/// Per-tenant keys, created on first use and stored wrapped (AES-256-GCM under the master key) in
/// <c>tenant_keys</c> with the id of the master key that wraps them. Unwrapped keys are cached in memory for the life
/// of the process; a master-key rotation re-wraps rows without changing the tenant keys themselves, so the cache and
/// every stored ciphertext stay valid.
/// </summary>
public sealed class TenantKeyring(NpgsqlDataSource dataSource, IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<string, TenantKeys> _cache = new(StringComparer.Ordinal);

    public async ValueTask<TenantKeys> GetAsync(string tenantId)
    {
        if (_cache.TryGetValue(tenantId, out var keys))
        {
            return keys;
        }

        var masters = MasterKeys.From(options.Value);

        // Insert-if-absent then read back: concurrent first uses (or two silos) agree on one key pair.
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO tenant_keys (tenant_id, data_key_enc, blind_key_enc, master_key_id) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            insert.Parameters.Add(new NpgsqlParameter { Value = masters.Wrap(RandomNumberGenerator.GetBytes(32), tenantId + "|data") });
            insert.Parameters.Add(new NpgsqlParameter { Value = masters.Wrap(RandomNumberGenerator.GetBytes(32), tenantId + "|blind") });
            insert.Parameters.Add(new NpgsqlParameter { Value = masters.CurrentId });
            await insert.ExecuteNonQueryAsync();
        }

        await using var select = dataSource.CreateCommand("SELECT data_key_enc, blind_key_enc, master_key_id FROM tenant_keys WHERE tenant_id = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await select.ExecuteReaderAsync();
        await reader.ReadAsync();
        var masterId = reader.IsDBNull(2) ? null : reader.GetString(2);
        keys = new TenantKeys(
            masters.Unwrap(reader.GetFieldValue<byte[]>(0), tenantId + "|data", masterId),
            masters.Unwrap(reader.GetFieldValue<byte[]>(1), tenantId + "|blind", masterId));
        return _cache.GetOrAdd(tenantId, keys);
    }

    /// <summary>
    /// Re-wraps every tenant's keys that the current master key does not wrap yet (<c>./vectros admin rotate-keys</c>).
    /// Row by row, each update guarded by the wrapped bytes it read, so it can run beside serving servers (which hold
    /// the new and previous master keys) and can be re-run after an interruption. Returns (re-wrapped, already current).
    /// </summary>
    public async Task<(int Rewrapped, int Current)> RotateAsync(CancellationToken cancellationToken)
    {
        var masters = MasterKeys.From(options.Value);
        var rows = new List<(string Tenant, byte[] Data, byte[] Blind, string? MasterId)>();
        await using (var select = dataSource.CreateCommand("SELECT tenant_id, data_key_enc, blind_key_enc, master_key_id FROM tenant_keys ORDER BY tenant_id"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<byte[]>(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        var (rewrapped, current) = (0, 0);
        foreach (var (tenant, data, blind, masterId) in rows)
        {
            if (masterId == masters.CurrentId)
            {
                current++;
                continue;
            }

            await using var update = dataSource.CreateCommand(
                "UPDATE tenant_keys SET data_key_enc = $2, blind_key_enc = $3, master_key_id = $4 WHERE tenant_id = $1 AND data_key_enc = $5");
            update.Parameters.Add(new NpgsqlParameter { Value = tenant });
            update.Parameters.Add(new NpgsqlParameter { Value = masters.Wrap(masters.Unwrap(data, tenant + "|data", masterId), tenant + "|data") });
            update.Parameters.Add(new NpgsqlParameter { Value = masters.Wrap(masters.Unwrap(blind, tenant + "|blind", masterId), tenant + "|blind") });
            update.Parameters.Add(new NpgsqlParameter { Value = masters.CurrentId });
            update.Parameters.Add(new NpgsqlParameter { Value = data });
            rewrapped += await update.ExecuteNonQueryAsync(cancellationToken);
        }

        return (rewrapped, current);
    }
}
