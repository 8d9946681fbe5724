using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Silo.Storage;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Grains.Tests;

/// <summary>
/// Issue #7 item 1, "existing rows are migrated": a database at the 0.31 baseline, with records, folders and
/// schemas owned through org_id/client_id, upgrades to scopes without losing an owner.
/// </summary>
public sealed class OwnershipMigrationTests
{
    [Fact]
    public async Task Org_and_client_owners_become_scopes_and_other_statuses_become_active()
    {
        await using var database = await TestDatabase.CreateAsync("ownmigration");
        await using var services = TestMigrations.Build(database.ConnectionString);
        var runner = services.GetRequiredService<MigrationRunner>();
        await using var db = NpgsqlDataSource.Create(database.ConnectionString);

        // The state a 0.31 server left: only the two baselines applied, recorded as the runner records them.
        var baselines = runner.Scripts.Where(s => s.Version == 1).ToList();
        await using (var setup = db.CreateCommand(
            "CREATE TABLE schema_migrations (module text NOT NULL, version integer NOT NULL, name text NOT NULL, checksum text NOT NULL, " +
            "applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (module, version))"))
        {
            await setup.ExecuteNonQueryAsync();
        }

        foreach (var script in baselines)
        {
            await using var apply = db.CreateCommand(script.Sql);
            await apply.ExecuteNonQueryAsync();
            await using var record = db.CreateCommand("INSERT INTO schema_migrations (module, version, name, checksum) VALUES ($1, $2, $3, $4)");
            record.Parameters.Add(new NpgsqlParameter { Value = script.Module });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Version });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Name });
            record.Parameters.Add(new NpgsqlParameter { Value = script.Checksum });
            await record.ExecuteNonQueryAsync();
        }

        var (org, client) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var rows = db.CreateCommand(
            $$"""
            INSERT INTO partners (partner_id, name) VALUES ('{{Guid.NewGuid()}}', 'p');
            INSERT INTO tenants (tenant_id, partner_id, environment) SELECT 'ten_m', partner_id, 'test' FROM partners;
            INSERT INTO records (tenant_id, context_id, record_id, type_name, payload, status, org_id, client_id, created_by)
                VALUES ('ten_m', 'default', '{{Guid.NewGuid()}}', 'note', '{}', 'DRAFT', '{{org}}', '{{client}}', 'k'),
                       ('ten_m', 'default', '{{Guid.NewGuid()}}', 'note', '{}', 'ARCHIVED', NULL, NULL, 'k');
            INSERT INTO folders (tenant_id, context_id, folder_id, name, slug, org_id, depth)
                VALUES ('ten_m', 'default', '{{Guid.NewGuid()}}', 'F', 'f', '{{org}}', 0);
            INSERT INTO schemas (tenant_id, context_id, schema_id, type_name, definition)
                VALUES ('ten_m', 'default', '{{Guid.NewGuid()}}', 'note', '{"displayName":"Note","orgId":"{{org}}","clientId":"{{client}}"}');
            """))
        {
            await rows.ExecuteNonQueryAsync();
        }

        await runner.ApplyAsync(CancellationToken.None);
        Assert.True(await runner.IsUpToDateAsync(CancellationToken.None));

        async Task<string> TextAsync(string sql)
        {
            await using var cmd = db.CreateCommand(sql);
            return (await cmd.ExecuteScalarAsync())?.ToString() ?? "";
        }

        Assert.Equal($"client:{client},org:{org}|ACTIVE", await TextAsync("SELECT array_to_string(scopes, ',') || '|' || status FROM records WHERE cardinality(scopes) > 0"));
        Assert.Equal("ARCHIVED", await TextAsync("SELECT status FROM records WHERE cardinality(scopes) = 0"));
        Assert.Equal($"org:{org}", await TextAsync("SELECT array_to_string(scopes, ',') FROM folders"));
        Assert.Equal($"[\"client:{client}\", \"org:{org}\"]|", await TextAsync(
            "SELECT (definition -> 'scopes')::text || '|' || coalesce(definition ->> 'orgId', '') FROM schemas"));

        // Every tenant that existed gets the org and client namespaces, entity-backed.
        Assert.Equal("client,org", await TextAsync("SELECT string_agg(namespace, ',' ORDER BY namespace) FROM namespaces WHERE tenant_id = 'ten_m' AND entity_backed"));
    }
}
