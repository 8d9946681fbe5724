using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Teardown;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A context teardown that is interrupted (the server stops mid-way) resumes on the next start and finishes:
/// the work lives in the outbox, not in memory.
/// </summary>
public sealed class TeardownRestartTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("teardown");
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Teardown_survives_a_restart_mid_way()
    {
        await using (var conn = new NpgsqlConnection(_db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("CREATE TABLE teardown_probe (tenant_id text, context_id text, n int)", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var settings = new Dictionary<string, string?>
        {
            ["Vectros:Outbox:LeaseTime"] = "00:00:02",
            ["Vectros:Teardown:BatchSize"] = "2",
        };
        var stall = new ProbePurger(_db.ConnectionString, stallAfterFirstBatch: true);
        TestPartner partner;
        await using (var first = await VectrosTestServer.StartAsync(_db.ConnectionString, settings, s => s.AddSingleton<IContextDataPurger>(stall)))
        {
            partner = await first.CreatePartnerAsync("teardown");
            using var client = first.CreateClient(partner.TestKey.RawKey);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "big-app", name = "Big" })).StatusCode);
            await InsertProbeRowsAsync(partner.TestTenantId, "big-app", 10);
            await InsertProbeRowsAsync(partner.TestTenantId, "other-app", 3);

            Assert.Equal(HttpStatusCode.Accepted, (await client.DeleteAsync("/v1/app-contexts/big-app?confirm=big-app")).StatusCode);
            await stall.FirstBatchDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal("purging", (await client.GetFromJsonAsync<Dictionary<string, object>>("/v1/app-contexts/big-app"))!["status"].ToString());
        }

        Assert.Equal(8, await CountProbeRowsAsync(partner.TestTenantId, "big-app"));

        await using var second = await VectrosTestServer.StartAsync(
            _db.ConnectionString, settings, s => s.AddSingleton<IContextDataPurger>(new ProbePurger(_db.ConnectionString, stallAfterFirstBatch: false)));
        using var again = second.CreateClient(partner.TestKey.RawKey);
        var status = (await AppContextPolling.StatusesUntilDeletedAsync(again, "big-app"))[^1];

        Assert.Equal("deleted", status);
        Assert.Equal(0, await CountProbeRowsAsync(partner.TestTenantId, "big-app"));
        Assert.Equal(3, await CountProbeRowsAsync(partner.TestTenantId, "other-app"));
    }

    private async Task InsertProbeRowsAsync(string tenantId, string contextId, int count)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("INSERT INTO teardown_probe SELECT $1, $2, g FROM generate_series(1, $3) g", conn);
        cmd.Parameters.AddWithValue(tenantId);
        cmd.Parameters.AddWithValue(contextId);
        cmd.Parameters.AddWithValue(count);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<long> CountProbeRowsAsync(string tenantId, string contextId)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM teardown_probe WHERE tenant_id = $1 AND context_id = $2", conn);
        cmd.Parameters.AddWithValue(tenantId);
        cmd.Parameters.AddWithValue(contextId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Deletes probe rows in batches; optionally hangs after the first batch until the server stops.</summary>
    private sealed class ProbePurger(string connectionString, bool stallAfterFirstBatch) : IContextDataPurger
    {
        public TaskCompletionSource FirstBatchDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "teardown_probe";

        public async Task<int> PurgeBatchAsync(string tenantId, string contextId, int batchSize, CancellationToken cancellationToken)
        {
            if (stallAfterFirstBatch && FirstBatchDone.Task.IsCompleted)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand(
                "DELETE FROM teardown_probe WHERE ctid IN (SELECT ctid FROM teardown_probe WHERE tenant_id = $1 AND context_id = $2 LIMIT $3)", conn);
            cmd.Parameters.AddWithValue(tenantId);
            cmd.Parameters.AddWithValue(contextId);
            cmd.Parameters.AddWithValue(batchSize);
            var deleted = await cmd.ExecuteNonQueryAsync(cancellationToken);
            FirstBatchDone.TrySetResult();
            return deleted;
        }
    }
}
