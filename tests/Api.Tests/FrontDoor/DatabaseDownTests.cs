using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>A server that reaches its database through a proxy the test can stop, as if PostgreSQL went away.</summary>
public sealed class DatabaseDownFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public TcpProxy Proxy { get; private set; } = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public TestPartner Partner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("dbdown");
        var direct = new NpgsqlConnectionStringBuilder(_db.ConnectionString);
        Proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, direct.Port));
        Proxy.Start();

        // Short timeouts so an unreachable database is a prompt answer, as a production setting would make it.
        var proxied = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Port = Proxy.Port, Timeout = 2, CommandTimeout = 5 };
        Server = await VectrosTestServer.StartAsync(proxied.ConnectionString);
        Partner = await Server.CreatePartnerAsync("db-down");
    }

    public async Task DisposeAsync()
    {
        Proxy.Start();
        await Server.DisposeAsync();
        Proxy.Stop();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// With the database unreachable, ping and every endpoint answer 503 UNAVAILABLE with Retry-After (never a 500), and
/// the server recovers by itself once the database is back (issue #9 item 10).
/// </summary>
public sealed class DatabaseDownTests(DatabaseDownFixture fixture) : IClassFixture<DatabaseDownFixture>
{
    [Fact]
    public async Task An_unreachable_database_is_a_503_with_Retry_After_and_recovery_is_automatic()
    {
        using var client = fixture.Server.CreateClient(fixture.Partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/folders", new { name = "before" })).StatusCode);

        fixture.Proxy.Stop();
        try
        {
            // A credential not yet cached must be looked up: ping itself then needs the database.
            using var live = fixture.Server.CreateClient(fixture.Partner.LiveKey.RawKey);
            await AssertUnavailableAsync(await live.GetAsync("/v1/ping"));
            await AssertUnavailableAsync(await client.GetAsync("/v1/folders"));
            await AssertUnavailableAsync(await client.PostAsJsonAsync("/v1/folders", new { name = "during" }));
            await AssertUnavailableAsync(await client.GetAsync("/v1/schemas"));
            await AssertUnavailableAsync(await client.GetAsync("/v1/records?recent=true"));

            // An unknown credential while the database is down is not "unknown": it is 503 too, and not remembered as a miss.
            using var unknown = fixture.Server.CreateClient("sk_test_unknown-" + Guid.NewGuid().ToString("N"));
            await AssertUnavailableAsync(await unknown.GetAsync("/v1/ping"));
        }
        finally
        {
            fixture.Proxy.Start();
        }

        // Recovery needs no restart: the pool reconnects on the next request.
        await Poll.UntilAsync(async () => (await client.GetAsync("/v1/folders")).StatusCode == HttpStatusCode.OK, "folders answer again", TimeSpan.FromSeconds(30));
        using var liveAgain = fixture.Server.CreateClient(fixture.Partner.LiveKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await liveAgain.GetAsync("/v1/ping")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/folders", new { name = "after" })).StatusCode);
    }

    [Fact]
    public async Task Connections_cut_by_the_database_are_never_a_500_and_heal_by_themselves()
    {
        using var client = fixture.Server.CreateClient(fixture.Partner.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/folders")).StatusCode);

        // Every pooled connection dies under the server (as on a database restart or failover).
        fixture.Proxy.Stop();
        fixture.Proxy.Start();
        for (var i = 0; i < 5; i++)
        {
            var response = await client.GetAsync("/v1/folders");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable,
                $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        await Poll.UntilAsync(async () => (await client.GetAsync("/v1/folders")).StatusCode == HttpStatusCode.OK, "folders answer again", TimeSpan.FromSeconds(30));
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {response.StatusCode} {text}");
        Assert.Contains("\"errorCode\":\"UNAVAILABLE\"", text, StringComparison.Ordinal);
        Assert.True(response.Headers.RetryAfter is not null, "no Retry-After");
    }
}
