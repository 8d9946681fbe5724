using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.Grains.Teardown;
using Vectros.Grains.Webhooks;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Shared pieces of the tenant teardown tests: counting a tenant's rows in every tenant table, polling the status.</summary>
internal static class TenantTeardownSupport
{
    /// <summary>Every table with a tenant_id column, as the database says (test-only tables excluded).</summary>
    public static async Task<IReadOnlyList<string>> TenantTablesAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT c.table_name FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
            WHERE c.column_name = 'tenant_id' AND c.table_schema = current_schema() AND c.table_name NOT LIKE 'test\_%' AND c.table_name <> 'teardown_probe'
            ORDER BY 1
            """);
        var tables = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    /// <summary>Rows of <paramref name="tenantId"/> in every tenant table the teardown must empty (not its own record).</summary>
    public static async Task<Dictionary<string, long>> RowsAsync(NpgsqlDataSource db, string tenantId)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in (await TenantTablesAsync(db)).Except(TenantTables.Kept))
        {
            await using var cmd = db.CreateCommand($"SELECT count(*) FROM {table} WHERE tenant_id = $1");
            cmd.Parameters.AddWithValue(tenantId);
            counts[table] = (long)(await cmd.ExecuteScalarAsync())!;
        }

        return counts;
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.AddWithValue(value);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Reads the status until it is deleted; returns every status seen, in order.</summary>
    public static async Task<List<JsonElement>> StatusesUntilDeletedAsync(HttpClient op, string tenantId)
    {
        var seen = new List<JsonElement>();
        await TestSupport.Poll.UntilAsync(async () =>
        {
            var response = await op.GetAsync($"/developer/tenants/{tenantId}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            seen.Add(body);
            return body.GetProperty("status").GetString() == "deleted";
        }, $"tenant {tenantId} deleted", TimeSpan.FromSeconds(120));
        return seen;
    }
}

/// <summary>
/// Stands in for the registrations' <see cref="ITenantWebhooks"/>: records each call with what the database held at that
/// moment (the teardown status, whether the root keys still existed), so a test can assert the order of the last steps.
/// </summary>
internal sealed class RecordingTenantWebhooks(Func<NpgsqlDataSource> db) : ITenantWebhooks
{
    public ConcurrentQueue<(string Call, string TenantId, string Status, long RootKeys)> Calls { get; } = new();

    public async Task SendTenantDeletedAsync(string tenantId, CancellationToken cancellationToken) =>
        Calls.Enqueue(("send", tenantId, await StatusAsync(tenantId), await RootKeysAsync(tenantId)));

    public async Task<int> DeleteAllAsync(string tenantId, CancellationToken cancellationToken)
    {
        Calls.Enqueue(("deleteAll", tenantId, await StatusAsync(tenantId), await RootKeysAsync(tenantId)));
        return 2;
    }

    private async Task<string> StatusAsync(string tenantId)
    {
        await using var cmd = db().CreateCommand("SELECT status FROM tenant_teardowns WHERE tenant_id = $1");
        cmd.Parameters.AddWithValue(tenantId);
        return (string?)await cmd.ExecuteScalarAsync() ?? "none";
    }

    private Task<long> RootKeysAsync(string tenantId) =>
        TenantTeardownSupport.ScalarAsync(db(), "SELECT count(*) FROM root_keys WHERE tenant_id = $1", tenantId);
}
