using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Issuers;
using Vectros.Grains.History;
using static Vectros.Grains.Storage.SqlParam;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Issuers;

/// <summary>
/// One issuer write as a single <see cref="NpgsqlBatch"/> (one implicit transaction) with its version row. The unique
/// indexes are the final word on the (issuer, audience) pair and the one-issuer-per-context rule.
/// </summary>
internal sealed class IssuerWriteBatch(string tenantId)
{
    private const string BoundState = "VX409";
    private const string MissingState = "VX404";
    private const string EntityKind = "issuer";

    private readonly List<NpgsqlBatchCommand> _commands = [];

    public void Insert(IssuerView issuer, string createdBy)
    {
        Add(
            $"""
            SELECT vectros_require(EXISTS (SELECT 1 FROM app_contexts WHERE tenant_id = $1 AND context_id = $2 AND status = 'active' FOR SHARE),
                '{MissingState}', 'context')
            """, Text(tenantId), Text(issuer.ContextId));
        Add(
            """
            INSERT INTO auth_issuers (tenant_id, issuer_id, context_id, environment, issuer, jwks_uri, audience, sub_claim, email_claim,
                policies, status, created_by, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, 'active', $11, $12)
            """, Text(tenantId), Text(issuer.IssuerId), Text(issuer.ContextId),
            Text(issuer.Environment == TenantEnvironment.Live ? "live" : "test"), Text(issuer.Issuer), Text(issuer.JwksUri),
            Text(issuer.Audience), Text(issuer.SubClaim), Text(issuer.EmailClaim), Text(PoliciesJson(issuer.SelfSignupPolicies)),
            Text(createdBy), Time(issuer.CreatedAt));
        Version(issuer.ContextId, issuer.IssuerId, "CREATE", Describe(issuer), "Issuer registered", createdBy, issuer.CreatedAt);
    }

    /// <summary>Deletes an issuer that never bound a user (locked first, so a binding being written is seen).</summary>
    public void Delete(IssuerView issuer, string by, DateTimeOffset at)
    {
        Add(
            $"""
            SELECT vectros_require(bound_at IS NULL, '{BoundState}', 'bound')
            FROM auth_issuers WHERE tenant_id = $1 AND issuer_id = $2 FOR UPDATE
            """, Text(tenantId), Text(issuer.IssuerId));
        Add(
            $"""
            WITH d AS (DELETE FROM auth_issuers WHERE tenant_id = $1 AND issuer_id = $2 AND bound_at IS NULL RETURNING 1)
            SELECT vectros_require((SELECT count(*) FROM d) = 1, '{MissingState}', 'issuer')
            """, Text(tenantId), Text(issuer.IssuerId));
        Version(issuer.ContextId, issuer.IssuerId, "DELETE", null, "Issuer deleted", by, at);
    }

    /// <summary>Records which user a subject is (re-binding a subject whose user was deleted) and marks the issuer bound.</summary>
    public void Bind(IssuerView issuer, string subject, Guid userId, DateTimeOffset at)
    {
        Add(
            $"""
            WITH u AS (UPDATE auth_issuers SET bound_at = coalesce(bound_at, $3) WHERE tenant_id = $1 AND issuer_id = $2 RETURNING 1)
            SELECT vectros_require((SELECT count(*) FROM u) = 1, '{MissingState}', 'issuer')
            """, Text(tenantId), Text(issuer.IssuerId), Time(at));
        Add(
            """
            INSERT INTO auth_issuer_bindings (tenant_id, issuer_id, subject, user_id, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (tenant_id, issuer_id, subject) DO UPDATE SET user_id = EXCLUDED.user_id, created_at = EXCLUDED.created_at
            """, Text(tenantId), Text(issuer.IssuerId), Text(subject), Uuid(userId), Time(at));
        // The subject is the issuer's identifier of a person: the history names only the user it was bound to.
        Version(issuer.ContextId, issuer.IssuerId, "UPDATE", new JsonObject { ["boundUserId"] = userId.ToString() },
            "User bound by external sign-in", IssuerRules.MintedBy(issuer.IssuerId), at);
    }

    public async Task ExecuteAsync(NpgsqlDataSource dataSource)
    {
        try
        {
            await SqlBatch.ExecuteAsync(dataSource, _commands);
        }
        catch (PostgresException ex) when (ex.SqlState == BoundState)
        {
            throw new ConflictException("RESOURCE_IN_USE", "The issuer has signed in users; it cannot be deleted.");
        }
        catch (PostgresException ex) when (ex.SqlState == MissingState && ex.MessageText == "context")
        {
            throw new ValidationException("contextId", "contextId does not name an active app context.");
        }
        catch (PostgresException ex) when (ex.SqlState == MissingState)
        {
            throw new NotFoundException("Issuer not found.");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new IssuerClashException();
        }
    }

    internal static string PoliciesJson(IReadOnlyList<SignupPolicy> policies) =>
        JsonSerializer.Serialize(policies.Select(p => new IssuerStore.StoredPolicy(p.SignupType, p.RoleId)));

    private static JsonObject Describe(IssuerView issuer) => new()
    {
        ["issuer"] = issuer.Issuer,
        ["jwksUri"] = issuer.JwksUri,
        ["audience"] = issuer.Audience,
        ["contextId"] = issuer.ContextId,
        ["subClaim"] = issuer.SubClaim,
        ["emailClaim"] = issuer.EmailClaim,
        ["selfSignupPolicies"] = JsonNode.Parse(PoliciesJson(issuer.SelfSignupPolicies)),
    };

    private void Version(string contextId, string issuerId, string change, JsonObject? fields, string reason, string by, DateTimeOffset at) =>
        _commands.Add(VersionHistory.AppendCommand(new VersionEntry(tenantId, contextId, EntityKind, issuerId, change, null, null, fields, reason, by, at)));

    private void Add(string sql, params NpgsqlParameter[] parameters)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddRange(parameters);
        _commands.Add(cmd);
    }
}

/// <summary>An insert lost to a unique index: another registration holds the pair, the context or the issuerId.</summary>
internal sealed class IssuerClashException() : Exception("The registration clashes with an existing one.");
