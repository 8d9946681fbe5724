using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Identity;
using Vectros.Grains.Storage;

namespace Vectros.Grains.Accounts;

/// <summary>Creates a partner with everything it owns in one transaction, so a failure leaves nothing behind.</summary>
public sealed class PartnerGrain(NpgsqlDataSource dataSource) : Grain, IPartnerGrain
{
    async Task<PartnerCreated> IPartnerGrain.CreateAsync(CreatePartnerCommand command)
    {
        var name = command.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            throw new ValidationException("name", "name is required and must be 1-200 characters.");
        }

        var partnerId = this.GetPrimaryKey();
        var live = RootKeyFactory.NewKey(TenantEnvironment.Live);
        var test = RootKeyFactory.NewKey(TenantEnvironment.Test);
        var liveTenant = RootKeyFactory.NewTenantId(TenantEnvironment.Live);
        var testTenant = RootKeyFactory.NewTenantId(TenantEnvironment.Test);

        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(conn, tx);
        batch.BatchCommands.Add(Command(
            "INSERT INTO partners (partner_id, name) VALUES ($1, $2)", partnerId, name));
        foreach (var (tenantId, env, key) in new[] { (liveTenant, TenantEnvironment.Live, live), (testTenant, TenantEnvironment.Test, test) })
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO tenants (tenant_id, partner_id, environment) VALUES ($1, $2, $3)",
                tenantId, partnerId, RootKeyFactory.EnvironmentName(env)));
            batch.BatchCommands.Add(Command(
                "INSERT INTO root_keys (key_id, tenant_id, key_hash, label) VALUES ($1, $2, $3, $4)",
                key.KeyId, tenantId, key.Hash, $"{name} ({RootKeyFactory.EnvironmentName(env)})"));
            foreach (var contextId in AppContextKeys.Reserved)
            {
                batch.BatchCommands.Add(Command(
                    "INSERT INTO app_contexts (tenant_id, context_id, name, is_reserved) VALUES ($1, $2, $3, true)",
                    tenantId, contextId, contextId == AppContextKeys.Default ? "Default" : "Vectros admin"));
            }

            foreach (var (ns, rank) in NamespaceRules.Seeded)
            {
                batch.BatchCommands.Add(Command(
                    "INSERT INTO namespaces (tenant_id, context_id, namespace, specificity_rank, entity_backed) VALUES ($1, $2, $3, $4, true)",
                    tenantId, NamespaceRules.TenantHome, ns, rank));
            }
        }

        try
        {
            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        catch (PostgresException ex) when (PostgresErrors.IsUniqueViolation(ex))
        {
            throw new ConflictException("PARTNER_EXISTS", "A partner with this id already exists.");
        }

        return new PartnerCreated(
            partnerId, name, liveTenant, testTenant,
            new IssuedRootKey(live.KeyId, live.RawKey),
            new IssuedRootKey(test.KeyId, test.RawKey));
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }
}
