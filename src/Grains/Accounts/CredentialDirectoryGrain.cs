using System.Security.Cryptography;
using Npgsql;
using Orleans;
using Orleans.Concurrency;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Keys;

namespace Vectros.Grains.Accounts;

/// <summary>
/// Looks credentials up by hash. Stateless so that authentication fans out over several activations. A tenant whose
/// teardown has started (a <c>tenant_teardowns</c> row) has no valid credential: root keys, scoped keys and the tokens
/// (through <see cref="ICredentialDirectoryGrain.FindTenantAsync"/>) are refused from that moment.
/// </summary>
[StatelessWorker]
public sealed class CredentialDirectoryGrain(NpgsqlDataSource dataSource) : Grain, ICredentialDirectoryGrain
{
    async Task<CredentialPrincipal?> ICredentialDirectoryGrain.FindRootKeyAsync(byte[] keySha256)
    {
        if (keySha256 is not { Length: 32 })
        {
            return null;
        }

        await using var cmd = dataSource.CreateCommand(
            """
            SELECT k.key_id, k.key_hash, k.label, t.tenant_id, t.environment, t.partner_id
            FROM root_keys k JOIN tenants t ON t.tenant_id = k.tenant_id
            WHERE k.key_hash = $1 AND k.revoked_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM tenant_teardowns d WHERE d.tenant_id = t.tenant_id)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = keySha256 });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        // The index lookup already matched; the constant-time compare keeps the check itself free of
        // early-exit timing should the lookup ever become a prefix or range match.
        var stored = reader.GetFieldValue<byte[]>(1);
        if (!CryptographicOperations.FixedTimeEquals(stored, keySha256))
        {
            return null;
        }

        return new CredentialPrincipal(
            TenantId: reader.GetString(3),
            Environment: RootKeyFactory.ParseEnvironment(reader.GetString(4)),
            PartnerId: reader.GetGuid(5),
            Kind: CredentialKind.RootKey,
            CredentialId: reader.GetString(0),
            Label: reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    async Task<TenantEnvironment?> ICredentialDirectoryGrain.FindTenantAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT environment FROM tenants t
            WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM tenant_teardowns d WHERE d.tenant_id = t.tenant_id)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        return await cmd.ExecuteScalarAsync() is string environment ? RootKeyFactory.ParseEnvironment(environment) : null;
    }

    async Task<bool?> ICredentialDirectoryGrain.IsRootKeyRevokedAsync(string keyId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT revoked_at IS NOT NULL FROM root_keys WHERE key_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = keyId });
        return await cmd.ExecuteScalarAsync() is bool revoked ? revoked : null;
    }

    async Task<ScopedKeyBinding?> ICredentialDirectoryGrain.FindScopedKeyAsync(byte[] keySha256)
    {
        if (keySha256 is not { Length: 32 })
        {
            return null;
        }

        // lastUsedAt is coarse (spec: about hourly): the touch writes only when the stored time is an hour old, so
        // authentication stays a read nearly always.
        await using var cmd = dataSource.CreateCommand(
            """
            WITH hit AS (
                SELECT k.key_id, k.key_hash, k.label, k.tenant_id, t.environment, k.context_id, k.user_id, k.delegation, k.last_used_at
                FROM scoped_keys k JOIN tenants t ON t.tenant_id = k.tenant_id
                WHERE k.key_hash = $1 AND k.revoked_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM tenant_teardowns d WHERE d.tenant_id = t.tenant_id)),
            touch AS (
                UPDATE scoped_keys SET last_used_at = now()
                WHERE key_id IN (SELECT key_id FROM hit WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 hour'))
            SELECT key_id, key_hash, label, tenant_id, environment, context_id, user_id, delegation FROM hit
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = keySha256 });
        await using var reader = await cmd.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || !CryptographicOperations.FixedTimeEquals(reader.GetFieldValue<byte[]>(1), keySha256))
        {
            return null;
        }

        return new ScopedKeyBinding(
            TenantId: reader.GetString(3),
            Environment: RootKeyFactory.ParseEnvironment(reader.GetString(4)),
            ContextId: reader.GetString(5),
            KeyId: reader.GetString(0),
            UserId: reader.GetString(6),
            Label: reader.IsDBNull(2) ? null : reader.GetString(2),
            DelegationChain: reader.IsDBNull(7) ? null : reader.GetString(7));
    }
}
