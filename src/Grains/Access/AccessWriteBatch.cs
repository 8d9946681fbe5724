using System.Text.Json;
using Npgsql;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.History;
using static Vectros.Grains.Storage.SqlParam;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Access;

/// <summary>
/// One role or profile write as a single <see cref="NpgsqlBatch"/> (one round trip, one implicit transaction) with its
/// version row. Preconditions raise through <c>vectros_require</c> and roll the whole write back: the context is
/// active, a referenced role exists (share-locked, so it cannot be deleted until this commits), a <c>usr_</c>
/// principal is a live user, override values name existing entities, the row is at the version the grain last saw,
/// and a deleted role is referenced by no profile (checked after locking the role row, so a profile write that
/// share-locked it has committed and is seen).
/// </summary>
internal sealed class AccessWriteBatch(string tenantId, string contextId)
{
    private const string VersionState = "VX409";
    private const string InvalidState = "VX400";
    private const string MissingState = "VX404";
    private const string OverridePrefix = "identityOverrides:";

    private readonly List<NpgsqlBatchCommand> _commands = [];

    public void RequireActiveContext() => Add(
        $"""
        SELECT vectros_require(EXISTS (SELECT 1 FROM app_contexts WHERE tenant_id = $1 AND context_id = $2 AND status = 'active' FOR SHARE),
            '{MissingState}', 'context')
        """, Text(tenantId), Text(contextId));

    public void RequireRole(string roleId) => Add(
        $"""
        SELECT vectros_require(EXISTS (SELECT 1 FROM access_roles WHERE tenant_id = $1 AND context_id = $2 AND role_id = $3 FOR SHARE),
            '{InvalidState}', 'roleId')
        """, Text(tenantId), Text(contextId), Text(roleId));

    public void RequireLivePrincipal(string principalId) => Add(
        $"SELECT vectros_require(vectros_principal_is_live($1, $2), '{InvalidState}', 'principalId')", Text(tenantId), Text(principalId));

    /// <summary>Each override value in an entity-backed namespace must name an existing entity (root callers, CL 0.38).</summary>
    public void RequireOverrideTargets(IReadOnlyDictionary<string, string> overrides) => Add(
        $"""
        SELECT vectros_require(m IS NULL, '{InvalidState}', '{OverridePrefix}' || coalesce(m, ''))
        FROM (SELECT vectros_scope_target_missing($1, $2, $3::text[]) AS m) s
        """, Text(tenantId), Text(contextId), TextArray(overrides.Select(kv => $"{kv.Key["scope:".Length..]}:{kv.Value}")));

    public void InsertRole(AccessRoleView role) => Add(
        """
        INSERT INTO access_roles (tenant_id, context_id, role_id, name, description, scopes, created_at, updated_at, version)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7, 1)
        """, Text(tenantId), Text(contextId), Text(role.RoleId), Text(role.Name), Text(role.Description), Text(Json(role.Scopes)), Time(role.CreatedAt));

    public void UpdateRole(AccessRoleView role, long expectedVersion) => Add(
        $"""
        WITH u AS (
            UPDATE access_roles SET name = $4, description = $5, scopes = $6::jsonb, updated_at = $7, version = $8 + 1
            WHERE tenant_id = $1 AND context_id = $2 AND role_id = $3 AND version = $8 RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{VersionState}', 'version')
        """, Text(tenantId), Text(contextId), Text(role.RoleId), Text(role.Name), Text(role.Description), Text(Json(role.Scopes)),
        Time(role.LastModified), Long(expectedVersion));

    public void DeleteRole(string roleId, long expectedVersion)
    {
        Add("SELECT 1 FROM access_roles WHERE tenant_id = $1 AND context_id = $2 AND role_id = $3 FOR UPDATE",
            Text(tenantId), Text(contextId), Text(roleId));
        Add($"""
            SELECT vectros_require(NOT EXISTS (SELECT 1 FROM access_profiles WHERE tenant_id = $1 AND context_id = $2 AND role_id = $3),
                '{VersionState}', 'referenced')
            """, Text(tenantId), Text(contextId), Text(roleId));
        Add($"""
            WITH d AS (DELETE FROM access_roles WHERE tenant_id = $1 AND context_id = $2 AND role_id = $3 AND version = $4 RETURNING 1)
            SELECT vectros_require((SELECT count(*) FROM d) = 1, '{VersionState}', 'version')
            """, Text(tenantId), Text(contextId), Text(roleId), Long(expectedVersion));
    }

    public void InsertProfile(AccessProfileView p) => Add(
        """
        INSERT INTO access_profiles (tenant_id, context_id, principal_id, scopes, role_id, identity_overrides, status, created_at, updated_at, version)
        VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, $8, 1)
        """, Text(tenantId), Text(contextId), Text(p.PrincipalId), Text(p.Scopes is null ? null : Json(p.Scopes)), Text(p.RoleId),
        Text(JsonSerializer.Serialize(p.IdentityOverrides)), Text(p.Status), Time(p.CreatedAt));

    public void UpdateProfile(AccessProfileView p, long expectedVersion) => Add(
        $"""
        WITH u AS (
            UPDATE access_profiles SET scopes = $4::jsonb, role_id = $5, identity_overrides = $6::jsonb, status = $7, updated_at = $8, version = $9 + 1
            WHERE tenant_id = $1 AND context_id = $2 AND principal_id = $3 AND version = $9 RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM u) = 1, '{VersionState}', 'version')
        """, Text(tenantId), Text(contextId), Text(p.PrincipalId), Text(p.Scopes is null ? null : Json(p.Scopes)), Text(p.RoleId),
        Text(JsonSerializer.Serialize(p.IdentityOverrides)), Text(p.Status), Time(p.LastModified), Long(expectedVersion));

    public void DeleteProfile(string principalId, long expectedVersion) => Add(
        $"""
        WITH d AS (DELETE FROM access_profiles WHERE tenant_id = $1 AND context_id = $2 AND principal_id = $3 AND version = $4 RETURNING 1)
        SELECT vectros_require((SELECT count(*) FROM d) = 1, '{VersionState}', 'version')
        """, Text(tenantId), Text(contextId), Text(principalId), Long(expectedVersion));

    public void AppendVersion(VersionEntry entry) => _commands.Add(VersionHistory.AppendCommand(entry));

    /// <summary>
    /// Runs the batch. Failures become the grain exception family; an insert that finds the key taken is
    /// <see cref="AccessRowExistsException"/> (the idempotent-create path). <paramref name="principalMessage"/> is the
    /// 400 for a principal that is not a live user (indistinguishable from a malformed one without <c>users:r</c>).
    /// </summary>
    public async Task ExecuteAsync(NpgsqlDataSource dataSource, string principalMessage = "principalId does not name a live user.")
    {
        try
        {
            await SqlBatch.ExecuteAsync(dataSource, _commands);
        }
        catch (PostgresException ex) when (ex.SqlState == VersionState && ex.MessageText == "referenced")
        {
            throw new ConflictException("RESOURCE_IN_USE", "The role is still referenced by one or more access profiles; reassign or delete them first.");
        }
        catch (PostgresException ex) when (ex.SqlState == VersionState)
        {
            throw new AccessVersionRaceException();
        }
        catch (PostgresException ex) when (ex.SqlState == MissingState)
        {
            throw new NotFoundException("No app context exists with this contextId.");
        }
        catch (PostgresException ex) when (ex.SqlState == InvalidState)
        {
            throw ex.MessageText switch
            {
                "roleId" => new ValidationException("roleId", "roleId does not name a role in this app context."),
                "principalId" => new ValidationException("principalId", principalMessage),
                var m when m.StartsWith(OverridePrefix, StringComparison.Ordinal) => new ValidationException("identityOverrides",
                    $"identityOverrides: '{m[OverridePrefix.Length..]}' does not name an existing entity of that namespace."),
                _ => new ValidationException(null, "The write was refused."),
            };
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new AccessRowExistsException();
        }
    }

    private static string Json(IReadOnlyList<ScopeClause> clauses) => ScopeClauseJson.Write(clauses).ToJsonString();

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }
}

/// <summary>The row changed under this activation (another activation wrote it).</summary>
internal sealed class AccessVersionRaceException() : Exception("The row changed under this activation.");

/// <summary>An insert found the key already taken: the idempotent-create collision.</summary>
internal sealed class AccessRowExistsException() : Exception("The key is already taken.");
