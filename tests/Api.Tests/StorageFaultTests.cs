using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>A server of its own whose tables can be taken away mid-test: the storage faults no shared server may see.</summary>
public sealed class StorageFaultFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("storagefault");

        // The server waits at most this long for a table lock, so a lock held by a test is a prompt transient fault.
        Server = await VectrosTestServer.StartAsync(_db.ConnectionString + ";Options=-c lock_timeout=300");
        var partner = await Server.CreatePartnerAsync("storage-fault");
        Client = Server.CreateClient(partner.TestKey.RawKey);

        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "note",
            displayName = "Note",
            fields = new[] { new { fieldId = "topic", fieldType = "string" } },
            lookupFields = new[] { "topic" },
        })).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { topic = "alpha" } })).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/folders", new { name = $"Folder {i}" })).StatusCode);
        }
    }

    /// <summary>Runs DDL on a connection of the test's own, without the server's lock timeout.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var conn = await OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// A storage fault during a listing answers 5xx with the standard error body, never a 200 with an empty page
/// (API-DELTA §1 "Completeness", CL 0.38: clients read an empty page with a null cursor as "nothing there").
/// </summary>
public sealed class StorageFaultTests(StorageFaultFixture fixture) : IClassFixture<StorageFaultFixture>
{
    [Theory]
    [InlineData("records", "/v1/records?type=note")]
    [InlineData("records", "/v1/records?recent=true")]
    [InlineData("record_lookups", "/v1/records/lookup?type=note&field=topic&value=alpha")]
    [InlineData("folders", "/v1/folders")]
    [InlineData("schemas", "/v1/schemas")]
    [InlineData("app_contexts", "/v1/app-contexts")]
    public async Task A_list_during_a_storage_fault_is_a_5xx_with_the_error_body(string table, string url)
    {
        // The listing works and finds something before the fault, so an empty 200 afterwards would be a lie.
        var before = await fixture.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.NotEqual(0, (await before.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetArrayLength());

        await fixture.ExecuteAsync($"ALTER TABLE {table} RENAME TO {table}_unavailable");
        HttpResponseMessage during;
        try
        {
            during = await fixture.Client.GetAsync(url);
        }
        finally
        {
            await fixture.ExecuteAsync($"ALTER TABLE {table}_unavailable RENAME TO {table}");
        }

        await AssertServerErrorAsync(during, table);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync(url)).StatusCode);
    }

    [Theory]
    [InlineData("folders", "/v1/folders")]
    [InlineData("records", "/v1/records?type=note")]
    [InlineData("schemas", "/v1/schemas")]
    public async Task A_transient_storage_fault_is_a_retryable_503(string table, string url)
    {
        HttpResponseMessage during;
        await using (var conn = await fixture.OpenAsync())
        {
            // The lock is held until the request has answered: the server's read gives up after its lock timeout.
            await using var tx = await conn.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand($"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE", conn, tx))
            {
                await lockTable.ExecuteNonQueryAsync();
            }

            during = await fixture.Client.GetAsync(url);
            await tx.RollbackAsync();
        }

        await AssertServerErrorAsync(during, table);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.StatusCode);
        Assert.Equal("UNAVAILABLE", (await during.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCode").GetString());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.GetAsync(url)).StatusCode);
    }

    private static async Task AssertServerErrorAsync(HttpResponseMessage during, string table)
    {
        var text = await during.Content.ReadAsStringAsync();
        Assert.True((int)during.StatusCode >= 500, $"{during.RequestMessage!.RequestUri} during a fault of {table}: {(int)during.StatusCode} {text}");
        Assert.StartsWith("application/json", during.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.False(body.TryGetProperty("data", out _), text);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("errorCode").GetString()));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
        Assert.Equal(during.Headers.GetValues("X-Request-Id").Single(), body.GetProperty("requestId").GetString());

        // Nothing about the storage leaks into the body.
        Assert.DoesNotContain(table, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Npgsql", text, StringComparison.OrdinalIgnoreCase);
    }
}
