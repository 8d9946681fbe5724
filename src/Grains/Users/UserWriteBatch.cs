using Npgsql;
using NpgsqlTypes;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;
using Vectros.Grains.History;
using Vectros.Grains.Records;
using static Vectros.Grains.Storage.SqlParam;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Users;

/// <summary>
/// Every statement of one user write as a single <see cref="NpgsqlBatch"/>: one round trip, one implicit
/// transaction. Preconditions raise through <c>vectros_require</c> and roll the whole write back: an update or
/// delete finds the row at the version the grain last saw; removing the account's last OWNER is refused (the
/// tenant's owners are counted under a transaction-scoped advisory lock, so two removals cannot both pass); an
/// activation consumes exactly the invitation whose token hash it presents.
/// </summary>
internal sealed class UserWriteBatch(string tenantId, Guid userId)
{
    private const string VersionConflictState = "VX409";
    private const string OwnerState = "VX410";
    private const string InviteState = "VX400";
    private const string ElsewhereState = "VX411";

    private const string InsertSql =
        """
        INSERT INTO users (tenant_id, user_id, external_id, email, email_key, user_type, status, account_role, external_subject, payload,
            schema_id, schema_version, schema_context_id, type_name, created_by, created_at, updated_at, version)
        VALUES ($1, $2, $3, $4, lower($4), $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, $15, 1)
        """;

    private const string UpdateSql =
        $"""
        WITH u AS (
            UPDATE users SET email = $3, email_key = lower($3), status = $4, account_role = $5, external_subject = $6, payload = $7::jsonb,
                schema_id = $8, schema_version = $9, schema_context_id = $10, type_name = $11, updated_at = $12, version = $13 + 1
            WHERE tenant_id = $1 AND user_id = $2 AND version = $13
            RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{VersionConflictState}', 'version')
        """;

    private const string DeleteSql =
        $"""
        WITH d AS (DELETE FROM users WHERE tenant_id = $1 AND user_id = $2 AND version = $3 RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM d) = 1, '{VersionConflictState}', 'version')
        """;

    // Serialises every change to the tenant's set of OWNERs, then checks another one remains.
    private const string OwnerLockSql = "SELECT pg_advisory_xact_lock(hashtextextended('vectros-users-owners:' || $1, 0))";

    private const string OtherOwnerSql =
        $"""
        SELECT vectros_require(EXISTS (
            SELECT 1 FROM users WHERE tenant_id = $1 AND user_id <> $2 AND account_role = 'OWNER'), '{OwnerState}', 'owner')
        """;

    private const string NoAccessOutsideSql =
        $"""
        SELECT vectros_require(NOT EXISTS (
            SELECT 1 FROM access_profiles WHERE tenant_id = $1 AND principal_id = $2 AND context_id <> $3), '{ElsewhereState}', 'context')
        """;

    // A deleted user keeps no access anywhere (every context's profile goes) and no working scoped key (revoked in the
    // same transaction, so no key outlives its user even for a cache period's worth of lookups).
    private const string DeleteProfilesSql = "DELETE FROM access_profiles WHERE tenant_id = $1 AND principal_id = $2";

    private const string RevokeKeysSql = "UPDATE scoped_keys SET revoked_at = now() WHERE tenant_id = $1 AND user_id = $2 AND revoked_at IS NULL";

    private const string DeleteLookupsSql = "DELETE FROM user_lookups WHERE tenant_id = $1 AND user_id = $2";

    private const string InsertLookupsSql =
        """
        INSERT INTO user_lookups (tenant_id, type_name, field, value_key, user_id, value_num, value_text, is_unique)
        SELECT $1, $3, v.f, v.k, $2, v.n, v.t, v.u
        FROM unnest($4::text[], $5::text[], $6::numeric[], $7::text[], $8::boolean[]) AS v(f, k, n, t, u)
        """;

    private const string DeleteInviteSql = "DELETE FROM user_invites WHERE tenant_id = $1 AND user_id = $2";

    private const string ConsumeInviteSql =
        $"""
        WITH d AS (DELETE FROM user_invites WHERE tenant_id = $1 AND user_id = $2 AND token_hash = $3 AND expires_at > $4 RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM d) = 1, '{InviteState}', 'invite')
        """;

    private const string UpsertInviteSql =
        """
        INSERT INTO user_invites (tenant_id, context_id, email_key, user_id, token_hash, expires_at, access_profile, first_name, created_at, updated_at)
        VALUES ($1, $3, lower($4), $2, $5, $6, $7::jsonb, $8, $9, $9)
        ON CONFLICT (tenant_id, context_id, email_key) DO UPDATE SET token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at,
            updated_at = EXCLUDED.updated_at
        """;

    private readonly List<NpgsqlBatchCommand> _commands = [];
    private IReadOnlyList<LookupRow> _lookups = [];

    public void Insert(UserRow row) => Add(InsertSql,
        Text(tenantId), Uuid(userId), Text(row.ExternalId), Text(row.Email), Text(row.Type), Text(row.Status), Text(row.Role),
        Text(row.ExternalSubject), Text(row.StoredPayload), Uuid(row.SchemaId), Int(row.SchemaVersion), Text(row.SchemaContextId),
        Text(row.TypeName), Text(row.CreatedBy), Time(row.CreatedAt));

    /// <summary>Updates the row only if it is still at <paramref name="expectedVersion"/> (else a version conflict).</summary>
    public void Update(UserRow row, long expectedVersion) => Add(UpdateSql,
        Text(tenantId), Uuid(userId), Text(row.Email), Text(row.Status), Text(row.Role), Text(row.ExternalSubject), Text(row.StoredPayload),
        Uuid(row.SchemaId), Int(row.SchemaVersion), Text(row.SchemaContextId), Text(row.TypeName), Time(row.UpdatedAt), Long(expectedVersion));

    /// <summary>Refuses the write unless another OWNER remains in the tenant (delete or demotion of an OWNER).</summary>
    public void RequireAnotherOwner()
    {
        Add(OwnerLockSql, Text(tenantId));
        Add(OtherOwnerSql, Text(tenantId), Uuid(userId));
    }

    /// <summary>Refuses the write when the user holds an access profile in any context but <paramref name="contextId"/>.</summary>
    public void RequireNoAccessOutside(string contextId) =>
        Add(NoAccessOutsideSql, Text(tenantId), Text(Abstractions.Access.PrincipalIds.ForUser(userId.ToString())), Text(contextId));

    /// <summary>Replaces the user's lookup rows (separate statements: the insert sees the delete).</summary>
    public void ReplaceLookups(string? typeName, IReadOnlyList<LookupRow> lookups, bool hadLookups)
    {
        _lookups = lookups;
        if (hadLookups)
        {
            Add(DeleteLookupsSql, Text(tenantId), Uuid(userId));
        }

        if (lookups.Count > 0)
        {
            Add(InsertLookupsSql,
                Text(tenantId), Uuid(userId), Text(typeName),
                Of(lookups.Select(l => l.Field).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(lookups.Select(l => l.ValueKey).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(lookups.Select(l => l.ValueNum).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Numeric),
                Of(lookups.Select(l => l.ValueText).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text),
                Of(lookups.Select(l => l.IsUnique).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Boolean));
        }
    }

    /// <summary>
    /// Removes the row (if still at <paramref name="expectedVersion"/>), its lookup rows, any invitation, its access
    /// profiles in every context, and revokes its scoped keys.
    /// </summary>
    public void Delete(long expectedVersion)
    {
        Add(DeleteSql, Text(tenantId), Uuid(userId), Long(expectedVersion));
        Add(DeleteLookupsSql, Text(tenantId), Uuid(userId));
        Add(DeleteInviteSql, Text(tenantId), Uuid(userId));
        Add(DeleteProfilesSql, Text(tenantId), Text(Abstractions.Access.PrincipalIds.ForUser(userId.ToString())));
        Add(RevokeKeysSql, Text(tenantId), Text(userId.ToString()));
    }

    /// <summary>Activation: the invitation must still hold this token hash and be unexpired; it is consumed.</summary>
    public void ConsumeInvite(byte[] tokenHash, DateTimeOffset now) =>
        Add(ConsumeInviteSql, Text(tenantId), Uuid(userId), Of(tokenHash, NpgsqlDbType.Bytea), Time(now));

    /// <summary>Stores (or rotates) the invitation of this user's email in <paramref name="contextId"/>.</summary>
    public void UpsertInvite(string contextId, string email, byte[] tokenHash, DateTimeOffset expiresAt, string accessProfileJson, string? firstName, DateTimeOffset now) =>
        Add(UpsertInviteSql, Text(tenantId), Uuid(userId), Text(contextId), Text(email), Of(tokenHash, NpgsqlDbType.Bytea), Time(expiresAt),
            Text(accessProfileJson), Text(firstName), Time(now));

    public void AppendVersion(VersionEntry entry) => _commands.Add(VersionHistory.AppendCommand(entry));

    /// <summary>Runs the batch; failures come back as the grain exception family (or <see cref="ExternalIdTakenException"/>, <see cref="VersionRaceException"/>).</summary>
    public async Task ExecuteAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            await SqlBatch.ExecuteAsync(dataSource, _commands);
        }
        catch (PostgresException ex) when (ex.SqlState == VersionConflictState)
        {
            throw new VersionRaceException();
        }
        catch (PostgresException ex) when (ex.SqlState == OwnerState)
        {
            throw new ConflictException("LAST_OWNER", "This user is the account's last OWNER: make another user OWNER first.");
        }
        catch (PostgresException ex) when (ex.SqlState == ElsewhereState)
        {
            throw new ConflictException("CONFLICT", "This user also has access in another app context; only a root key may delete it.");
        }
        catch (PostgresException ex) when (ex.SqlState == InviteState)
        {
            throw new ValidationException("inviteToken", "inviteToken is not the current invitation token of this user, or it has expired.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw ex.ConstraintName switch
            {
                "users_external_id" => new ExternalIdTakenException(),
                "users_email" => new ConflictException("EMAIL_IN_USE", "Another user of this account already has this email."),
                "user_lookups_unique" => Duplicate(),
                _ => new VersionRaceException(),
            };
        }
    }

    /// <summary>The unique lookup that clashed; the message names the field(s), never the value, which may be sensitive.</summary>
    private ConflictException Duplicate()
    {
        var fields = _lookups.Where(l => l.IsUnique).Select(l => l.Field).Distinct(StringComparer.Ordinal).ToList();
        var what = fields.Count == 1 ? $"the unique lookup field '{fields[0]}'" : $"one of the unique lookup fields ({string.Join(", ", fields)})";
        return new ConflictException("UNIQUE_VIOLATION", $"Another user already has this value in {what}.");
    }

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }
}
