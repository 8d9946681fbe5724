using Npgsql;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Inference;
using static Vectros.Grains.Storage.SqlParam;

namespace Vectros.Grains.Inference;

/// <summary>
/// The SQL of <c>inference_ledger</c> (migration 0018). Every write is one statement; <c>ON CONFLICT DO NOTHING</c>
/// on (tenant, entry id) makes replays find the first row instead of writing a second.
/// </summary>
internal sealed class InferenceLedgerStore(NpgsqlDataSource dataSource)
{
    public async Task<long> BalanceAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT COALESCE(SUM(amount_cents), 0)::bigint FROM inference_ledger WHERE tenant_id = $1");
        cmd.Parameters.Add(Text(tenantId));
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task<bool> TenantExistsAsync(string tenantId)
    {
        await using var cmd = dataSource.CreateCommand("SELECT 1 FROM tenants WHERE tenant_id = $1");
        cmd.Parameters.Add(Text(tenantId));
        return await cmd.ExecuteScalarAsync() is not null;
    }

    public async Task<string?> TenantOfAsync(Guid partnerId, TenantEnvironment environment)
    {
        await using var cmd = dataSource.CreateCommand("SELECT tenant_id FROM tenants WHERE partner_id = $1 AND environment = $2");
        cmd.Parameters.Add(Uuid(partnerId));
        cmd.Parameters.Add(Text(environment == TenantEnvironment.Live ? "live" : "test"));
        return await cmd.ExecuteScalarAsync() as string;
    }

    public async Task ChargeAsync(string tenantId, InferenceCharge charge)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            INSERT INTO inference_ledger (tenant_id, entry_id, kind, amount_cents, model, endpoint, input_tokens, output_tokens, context_id, request_id)
            VALUES ($1, $2, 'charge', $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (tenant_id, entry_id) DO NOTHING
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(charge.ChargeId));
        cmd.Parameters.Add(Long(-charge.Cents));
        cmd.Parameters.Add(Text(charge.Model));
        cmd.Parameters.Add(Text(charge.Endpoint));
        cmd.Parameters.Add(Int(charge.InputTokens));
        cmd.Parameters.Add(Int(charge.OutputTokens));
        cmd.Parameters.Add(Text(charge.ContextId));
        cmd.Parameters.Add(Text(charge.RequestId));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Inserts the top-up unless its reference was used before; either way returns the reference's row and whether it is new.</summary>
    public async Task<(bool Created, long AmountCents, DateTimeOffset CreatedAt)> TopUpAsync(string tenantId, string entryId, TopUpCommand command)
    {
        await using var cmd = dataSource.CreateCommand(
            """
            WITH inserted AS (
                INSERT INTO inference_ledger (tenant_id, entry_id, kind, amount_cents, reference)
                VALUES ($1, $2, 'top_up', $3, $4)
                ON CONFLICT (tenant_id, entry_id) DO NOTHING
                RETURNING true AS created, amount_cents, created_at)
            SELECT created, amount_cents, created_at FROM inserted
            UNION ALL
            SELECT false, amount_cents, created_at FROM inference_ledger
            WHERE tenant_id = $1 AND entry_id = $2 AND NOT EXISTS (SELECT 1 FROM inserted)
            """);
        cmd.Parameters.Add(Text(tenantId));
        cmd.Parameters.Add(Text(entryId));
        cmd.Parameters.Add(Long(command.AmountCents));
        cmd.Parameters.Add(Text(command.Reference));
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetBoolean(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2));
    }
}
