using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Vectros.Grains.Security;

/// <summary>
/// Per-tenant keys, created on first use and stored wrapped (AES-256-GCM under the master key) in
/// <c>tenant_keys</c>. Unwrapped keys are cached in memory for the life of the process.
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

        if (!SecurityOptions.TryDecode(options.Value.MasterKey, out var master))
        {
            throw new InvalidOperationException("Vectros:Security:MasterKey is not configured.");
        }

        // Insert-if-absent then read back: concurrent first uses (or two silos) agree on one key pair.
        await using (var insert = dataSource.CreateCommand(
            "INSERT INTO tenant_keys (tenant_id, data_key_enc, blind_key_enc) VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO NOTHING"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = tenantId });
            insert.Parameters.Add(new NpgsqlParameter { Value = Wrap(master, RandomNumberGenerator.GetBytes(32), tenantId + "|data") });
            insert.Parameters.Add(new NpgsqlParameter { Value = Wrap(master, RandomNumberGenerator.GetBytes(32), tenantId + "|blind") });
            await insert.ExecuteNonQueryAsync();
        }

        await using var select = dataSource.CreateCommand("SELECT data_key_enc, blind_key_enc FROM tenant_keys WHERE tenant_id = $1");
        select.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        await using var reader = await select.ExecuteReaderAsync();
        await reader.ReadAsync();
        keys = new TenantKeys(
            Unwrap(master, reader.GetFieldValue<byte[]>(0), tenantId + "|data"),
            Unwrap(master, reader.GetFieldValue<byte[]>(1), tenantId + "|blind"));
        return _cache.GetOrAdd(tenantId, keys);
    }

    private static byte[] Wrap(byte[] master, byte[] key, string purpose)
    {
        var output = new byte[12 + 16 + key.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(master, 16);
        aes.Encrypt(output.AsSpan(0, 12), key, output.AsSpan(28), output.AsSpan(12, 16), System.Text.Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    private static byte[] Unwrap(byte[] master, byte[] wrapped, string purpose)
    {
        var key = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(master, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), key, System.Text.Encoding.UTF8.GetBytes(purpose));
        return key;
    }
}
