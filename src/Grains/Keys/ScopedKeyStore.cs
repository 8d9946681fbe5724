using Npgsql;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Keys;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Keys;

/// <summary>
/// <c>scoped_keys</c> rows. Every statement binds the tenant; only the hash of a key is ever written or compared. An
/// insert is one batch (one implicit transaction): it locks the tenant row, so concurrent mints of one environment
/// count the key limit one after another, and checks the context is active and the user still exists.
/// </summary>
internal sealed class ScopedKeyStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "key_id, key_name, label, tenant_id, context_id, user_id, user_type, created_at, revoked_at, last_used_at";
    private const string InvalidState = "VX400";
    private const string MissingState = "VX404";

    public async Task<ScopedKeyView?> LoadAsync(string tenantId, string keyId)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM scoped_keys WHERE tenant_id = $1 AND key_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(keyId));
        var rows = await ReadAsync(cmd);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<ScopedKeyView?> FindActiveAsync(string tenantId, string contextId, string userId, string keyName)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM scoped_keys
            WHERE tenant_id = $1 AND context_id = $2 AND user_id = $3 AND key_name = $4 AND revoked_at IS NULL
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(contextId));
        cmd.Parameters.Add(Text(userId));
        cmd.Parameters.Add(Text(keyName));
        var rows = await ReadAsync(cmd);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<ScopedKeyView>> ListActiveAsync(string tenantId, string? onlyContext, string? after, int take)
    {
        await using var cmd = dataSource.CreateCommand(
            $"""
            SELECT {Columns} FROM scoped_keys
            WHERE tenant_id = $1 AND revoked_at IS NULL AND ($2::text IS NULL OR context_id = $2) AND ($3::text IS NULL OR key_id > $3)
            ORDER BY key_id LIMIT $4
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(onlyContext));
        cmd.Parameters.Add(Text(after));
        cmd.Parameters.Add(Int(take));
        return await ReadAsync(cmd);
    }

    /// <summary>
    /// Inserts the key unless the environment already holds <paramref name="maxActive"/> active keys (400). False when
    /// an active key of the same (context, user, keyName) got there first: the caller returns that one.
    /// </summary>
    public async Task<bool> InsertAsync(ScopedKeyView key, byte[] hash, string createdBy, string? delegation, int maxActive)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(conn);
        Add(batch, "SELECT 1 FROM tenants WHERE tenant_id = $1 FOR UPDATE", Text(key.TenantId));
        Add(batch,
            $"""
            SELECT vectros_require(EXISTS (SELECT 1 FROM app_contexts WHERE tenant_id = $1 AND context_id = $2 AND status = 'active' FOR SHARE),
                '{MissingState}', 'context')
            """, Text(key.TenantId), Text(key.ContextId));
        Add(batch, $"SELECT vectros_require(vectros_principal_is_live($1, $2), '{MissingState}', 'user')",
            Text(key.TenantId), Text("usr_" + key.UserId));
        Add(batch,
            $"""
            SELECT vectros_require((SELECT count(*) FROM scoped_keys WHERE tenant_id = $1 AND revoked_at IS NULL) < $2, '{InvalidState}', 'limit')
            """, Text(key.TenantId), Int(maxActive));
        Add(batch,
            """
            INSERT INTO scoped_keys (key_id, tenant_id, context_id, user_id, key_name, label, user_type, key_hash, created_by, delegation, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """,
            Text(key.KeyId), Text(key.TenantId), Text(key.ContextId), Text(key.UserId), Text(key.KeyName), Text(key.Label), Text(key.UserType),
            new NpgsqlParameter { Value = hash, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea }, Text(createdBy), Text(delegation), Time(key.CreatedAt));
        try
        {
            await batch.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "scoped_keys_name")
        {
            return false;
        }
        catch (PostgresException ex) when (ex.SqlState == MissingState)
        {
            throw ex.MessageText == "context" ? new NotFoundException("App context not found.") : ScopedKeyErrors.NoProfile();
        }
        catch (PostgresException ex) when (ex.SqlState == InvalidState)
        {
            throw new ValidationException(null, $"Your plan's limit of {maxActive} active scoped keys in this environment has been reached; revoke one first.");
        }
    }

    /// <summary>Revokes the key (idempotent: the first revocation time stays). False when no such key is visible.</summary>
    public async Task<bool> RevokeAsync(string tenantId, string keyId, string? onlyContext)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            UPDATE scoped_keys SET revoked_at = coalesce(revoked_at, now())
            WHERE tenant_id = $1 AND key_id = $2 AND ($3::text IS NULL OR context_id = $3)
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(keyId));
        cmd.Parameters.Add(Text(onlyContext));
        return await cmd.ExecuteNonQueryAsync() > 0;
    }

    private static void Add(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(cmd);
    }

    private static async Task<List<ScopedKeyView>> ReadAsync(NpgsqlCommand cmd)
    {
        var rows = new List<ScopedKeyView>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new ScopedKeyView(
                reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return rows;
    }
}
