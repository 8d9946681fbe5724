using System.Text.Json;
using Npgsql;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Issuers;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Issuers;

/// <summary>Reads of <c>auth_issuers</c> and <c>auth_issuer_bindings</c>. Writes go through <see cref="IssuerWriteBatch"/>.</summary>
internal sealed class IssuerStore(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "tenant_id, issuer_id, context_id, environment, issuer, jwks_uri, audience, sub_claim, email_claim, policies::text, status, created_at";

    public async Task<IssuerView?> LoadAsync(string tenantId, string issuerId)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM auth_issuers WHERE tenant_id = $1 AND issuer_id = $2");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(issuerId));
        return (await ReadAllAsync(cmd)).FirstOrDefault();
    }

    /// <summary>A page ordered by issuerId; the inner cursor is the last issuerId returned.</summary>
    public async Task<(IReadOnlyList<IssuerView> Rows, string? Next)> ListAsync(string tenantId, string? after, int limit)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM auth_issuers WHERE tenant_id = $1 AND ($2::text IS NULL OR issuer_id > $2) ORDER BY issuer_id LIMIT $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(after));
        cmd.Parameters.Add(Int(limit + 1));
        var rows = await ReadAllAsync(cmd);
        return rows.Count > limit ? (rows.Take(limit).ToList(), rows[limit - 1].IssuerId) : (rows, null);
    }

    /// <summary>Every registration of an <c>iss</c> value, across tenants (bounded: one per audience).</summary>
    public async Task<IReadOnlyList<IssuerView>> FindByIssuerAsync(string issuer)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT {Columns} FROM auth_issuers WHERE issuer = $1 AND status = 'active' ORDER BY tenant_id, issuer_id LIMIT 100");
        cmd.Parameters.Add(Text(issuer));
        return await ReadAllAsync(cmd);
    }

    public async Task<Guid?> FindBindingAsync(string tenantId, string issuerId, string subject)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT user_id FROM auth_issuer_bindings WHERE tenant_id = $1 AND issuer_id = $2 AND subject = $3");
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(issuerId));
        cmd.Parameters.Add(Text(subject));
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }

    /// <summary>Why a registration would clash: "pair" (issuer, audience) is taken anywhere, "context" already has an issuer.</summary>
    public async Task<string?> ClashAsync(string tenantId, IssuerWrite write)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            SELECT CASE
                WHEN EXISTS (SELECT 1 FROM auth_issuers WHERE issuer = $3 AND audience = $4) THEN 'pair'
                WHEN EXISTS (SELECT 1 FROM auth_issuers WHERE tenant_id = $1 AND context_id = $2 AND status = 'active') THEN 'context'
            END
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(write.ContextId));
        cmd.Parameters.Add(Text(write.Issuer));
        cmd.Parameters.Add(Text(write.Audience));
        return await cmd.ExecuteScalarAsync() as string;
    }

    private static async Task<List<IssuerView>> ReadAllAsync(NpgsqlCommand cmd)
    {
        var rows = new List<IssuerView>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(new IssuerView(
                r.GetString(0), r.GetString(1), r.GetString(2),
                r.GetString(3) == "live" ? TenantEnvironment.Live : TenantEnvironment.Test,
                r.GetString(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8),
                ReadPolicies(r.GetString(9)), r.GetString(10), r.GetFieldValue<DateTimeOffset>(11)));
        }

        return rows;
    }

    private static List<SignupPolicy> ReadPolicies(string json) =>
        JsonSerializer.Deserialize<List<StoredPolicy>>(json)!.Select(p => new SignupPolicy(p.signup_type, p.role_id)).ToList();

    /// <summary>The stored (and wire) spelling of a policy.</summary>
#pragma warning disable IDE1006, SA1300 // snake_case on purpose: the wire form
    internal sealed record StoredPolicy(string signup_type, string role_id);
#pragma warning restore IDE1006, SA1300
}
