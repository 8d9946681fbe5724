using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Vectros.Grains.Teardown;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A tenant teardown interrupted by a stop (mid-way through the tenant-wide step) carries on on the next start of
/// another server on the same database and reaches deleted: the job is an outbox row and every batch committed on its own.
/// </summary>
public sealed class TenantTeardownRestartTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("tenantrestart");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Teardown_survives_a_restart_mid_way()
    {
        await ExecuteAsync("CREATE TABLE teardown_probe (tenant_id text, n int)");
        var settings = new Dictionary<string, string?>
        {
            ["Vectros:Outbox:LeaseTime"] = "00:00:02",
            ["Vectros:Teardown:BatchSize"] = "2",
        };
        var stall = new ProbePurger(_db.ConnectionString, stallAfterFirstBatch: true);
        TestPartner partner;
        await using (var first = await VectrosTestServer.StartAsync(_db.ConnectionString, settings, s => s.AddSingleton<ITenantDataPurger>(stall)))
        {
            partner = await first.CreatePartnerAsync("restart");
            using var root = first.CreateClient(partner.TestKey.RawKey);
            Assert.Equal(HttpStatusCode.Created, (await root.PostAsJsonAsync("/v1/folders", new { name = "Inbox" })).StatusCode);
            await ExecuteAsync($"INSERT INTO teardown_probe SELECT '{partner.TestTenantId}', g FROM generate_series(1, 10) g");
            await ExecuteAsync($"INSERT INTO teardown_probe SELECT '{partner.LiveTenantId}', g FROM generate_series(1, 3) g");

            using var op = first.CreateClient(VectrosTestServer.OperatorToken);
            var tenantId = partner.TestTenantId;
            Assert.Equal(HttpStatusCode.Accepted, (await op.DeleteAsync($"/developer/tenants/{tenantId}?confirm={tenantId}")).StatusCode);
            await stall.FirstBatchDone.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Poll.UntilAsync(async () =>
            {
                var midway = await op.GetFromJsonAsync<JsonElement>($"/developer/tenants/{tenantId}");
                Assert.Equal("deleting", midway.GetProperty("status").GetString());
                return midway.GetProperty("progress").TryGetProperty("teardown_probe", out var n) && n.GetInt64() == 2;
            }, "the first probe batch counted");
            Assert.Equal(HttpStatusCode.Unauthorized, (await root.GetAsync("/v1/ping")).StatusCode);
        }

        Assert.Equal(8, await CountAsync(partner.TestTenantId));
        Assert.Equal(1, await ScalarAsync($"SELECT count(*) FROM root_keys WHERE tenant_id = '{partner.TestTenantId}'"));

        await using var second = await VectrosTestServer.StartAsync(
            _db.ConnectionString, settings, s => s.AddSingleton<ITenantDataPurger>(new ProbePurger(_db.ConnectionString, stallAfterFirstBatch: false)));
        using var again = second.CreateClient(VectrosTestServer.OperatorToken);
        var statuses = await TenantTeardownSupport.StatusesUntilDeletedAsync(again, partner.TestTenantId);

        Assert.Equal(10, statuses[^1].GetProperty("progress").GetProperty("teardown_probe").GetInt64());
        Assert.Equal(0, await CountAsync(partner.TestTenantId));
        Assert.Equal(3, await CountAsync(partner.LiveTenantId));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM root_keys WHERE tenant_id = '{partner.TestTenantId}'"));
        Assert.Equal(0, await ScalarAsync($"SELECT count(*) FROM folders WHERE tenant_id = '{partner.TestTenantId}'"));
        using var live = second.CreateClient(partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await live.GetAsync("/v1/ping")).StatusCode);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private Task<long> CountAsync(string tenantId) => ScalarAsync($"SELECT count(*) FROM teardown_probe WHERE tenant_id = '{tenantId}'");

    /// <summary>Deletes probe rows in batches; optionally hangs after the first batch until the server stops.</summary>
    private sealed class ProbePurger(string connectionString, bool stallAfterFirstBatch) : ITenantDataPurger
    {
        public TaskCompletionSource FirstBatchDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "teardown_probe";

        public async Task<int> PurgeBatchAsync(string tenantId, int batchSize, CancellationToken cancellationToken)
        {
            if (stallAfterFirstBatch && FirstBatchDone.Task.IsCompleted)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync(cancellationToken);
            await using var cmd = new NpgsqlCommand(
                "DELETE FROM teardown_probe WHERE ctid IN (SELECT ctid FROM teardown_probe WHERE tenant_id = $1 LIMIT $2)", conn);
            cmd.Parameters.AddWithValue(tenantId);
            cmd.Parameters.AddWithValue(batchSize);
            var deleted = await cmd.ExecuteNonQueryAsync(cancellationToken);
            FirstBatchDone.TrySetResult();
            return deleted;
        }
    }
}
