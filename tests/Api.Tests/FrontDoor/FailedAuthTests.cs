using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>A server of its own with a small failed-authentication budget (the shared server has the limit off).</summary>
public sealed class FailedAuthFixture : IAsyncLifetime
{
    public const int Budget = 5;

    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public TestPartner Partner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("failedauth");
        Server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Auth:FailedAttemptsPerMinute"] = Budget.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Vectros:Auth:NegativeCacheTime"] = "00:00:02",
        });
        Partner = await Server.CreatePartnerAsync("failed-auth");
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(_db.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    /// <summary>
    /// A client whose connections come from a loopback address of the test's own (127.0.0.x), so that each test has
    /// its own failure budget on the one server.
    /// </summary>
    public HttpClient ClientFrom(string localAddress, string? bearer)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = Server.BaseAddress };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Unknown credentials are remembered briefly so repeating one costs no lookup, and a client address that keeps failing
/// gets 429 with Retry-After before any lookup, without locking out credentials that work from it (issue #9 item 10).
/// </summary>
public sealed class FailedAuthTests(FailedAuthFixture fixture) : IClassFixture<FailedAuthFixture>
{
    [Fact]
    public async Task An_unknown_key_is_remembered_briefly_and_a_key_created_meanwhile_works_within_the_bound()
    {
        var raw = "sk_test_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var client = fixture.ClientFrom("127.0.0.11", raw);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/ping")).StatusCode);
        var missed = DateTime.UtcNow;

        // The key now exists (written behind the server's back, as a sign-up racing the failed attempt would).
        await using (var conn = await fixture.OpenAsync())
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO root_keys (key_id, tenant_id, key_hash, label) VALUES ($1, $2, $3, 'late')", conn);
            cmd.Parameters.AddWithValue("key_late_" + Guid.NewGuid().ToString("N")[..8]);
            cmd.Parameters.AddWithValue(fixture.Partner.TestTenantId);
            cmd.Parameters.AddWithValue(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw)));
            await cmd.ExecuteNonQueryAsync();
        }

        // Still refused from the negative cache (no lookup) right after ...
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/ping")).StatusCode);

        // ... and served once NegativeCacheTime (2 s here) has passed since the miss: the documented bound.
        await Task.Delay(TimeSpan.FromSeconds(2.2) - (DateTime.UtcNow - missed));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/ping")).StatusCode);
    }

    [Fact]
    public async Task An_address_over_its_failure_budget_gets_429_with_Retry_After_and_writes_nothing()
    {
        using var bad = fixture.ClientFrom("127.0.0.12", "sk_test_wrong-" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < FailedAuthFixture.Budget; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bad.GetAsync("/v1/ping")).StatusCode);
        }

        foreach (var response in new[] { await bad.GetAsync("/v1/ping"), await bad.PostAsJsonAsync("/v1/folders", new { name = "never" }) })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 60);
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            Assert.Equal("RATE_LIMITED", body.GetProperty("errorCode").GetString());
        }

        // A new (unknown) credential from the same address waits too: no lookup while the address is over budget.
        using var other = fixture.ClientFrom("127.0.0.12", "sk_test_other-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await other.GetAsync("/v1/ping")).StatusCode);

        // Another address is not affected.
        using var elsewhere = fixture.ClientFrom("127.0.0.13", fixture.Partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/v1/ping")).StatusCode);

        await using var conn = await fixture.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM folders WHERE name = 'never'", conn);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Failed_token_exchanges_count_against_the_address_and_then_get_an_OAuth_429()
    {
        // The exchange takes no credential, so its refusals are the failures the limiter counts (API-DELTA §8.7: 429).
        using var client = fixture.ClientFrom("127.0.0.15", bearer: null);
        var junk = new { grant_type = "urn:ietf:params:oauth:grant-type:token-exchange", subject_token = "junk", subject_token_type = "urn:ietf:params:oauth:token-type:jwt" };
        for (var i = 0; i < FailedAuthFixture.Budget; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/v1/auth/token/exchange", junk)).StatusCode);
        }

        var refused = await client.PostAsJsonAsync("/v1/auth/token/exchange", junk);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Single(refused.Headers.GetValues("Retry-After"));
        var body = await refused.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("error").GetString()));
        Assert.False(body.TryGetProperty("errorCode", out _));
    }

    [Fact]
    public async Task A_credential_that_works_from_the_address_is_not_locked_out_by_its_neighbours_failures()
    {
        using var good = fixture.ClientFrom("127.0.0.14", fixture.Partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/v1/ping")).StatusCode);

        using var bad = fixture.ClientFrom("127.0.0.14", "sk_test_wrong-" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < FailedAuthFixture.Budget + 3; i++)
        {
            await bad.GetAsync("/v1/ping");
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await bad.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await good.PostAsJsonAsync("/v1/folders", new { name = "still works" })).StatusCode);
    }
}
