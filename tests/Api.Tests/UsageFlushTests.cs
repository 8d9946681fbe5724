using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A graceful stop loses no counts: with a flush interval far longer than the test, the counts exist only in the usage
/// grain until the server stops, and deactivation persists them.
/// </summary>
public sealed class UsageFlushTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("uflush");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Pending_counts_are_persisted_when_the_server_stops()
    {
        var server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Usage:FlushInterval"] = "01:00:00",
        });
        TestPartner partner;
        try
        {
            partner = await server.CreatePartnerAsync("flush");
            using var client = server.CreateClient(partner.TestKey.RawKey);
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/v1/search", new { query = "x", mode = "TEXT" })).StatusCode);
            }

            await Poll.UntilAsync(async () => (await client.GetFromJsonAsync<JsonElement>("/v1/usage"))
                .GetProperty("search").GetProperty("queries").GetProperty("text").GetProperty("count").GetInt64() == 3, "three searches counted");
            Assert.Equal(0, await StoredAsync(partner.TestTenantId));
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.Equal(3, await StoredAsync(partner.TestTenantId));
    }

    private async Task<long> StoredAsync(string tenantId)
    {
        await using var dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
        await using var cmd = dataSource.CreateCommand(
            "SELECT coalesce(sum(value), 0) FROM usage_counters WHERE tenant_id = $1 AND metric = 'search.queries.text'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
