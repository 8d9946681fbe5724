using System.Net;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Webhooks;

/// <summary>A server that requires signed portal calls.</summary>
public sealed class SignedPortalFixture : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public VectrosTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("portalsig");
        Server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?> { ["Vectros:RequireSignedPortalCalls"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
    }
}

/// <summary>
/// Signed developer-portal calls (issue #11 item 10): unsigned, mis-signed, stale or replayed calls that would change
/// something are refused (401, or 409 for a replay) before the handler runs, so nothing is written; reads need no signature.
/// </summary>
public sealed class PortalSigningTests(SignedPortalFixture fixture) : IClassFixture<SignedPortalFixture>
{
    private const string Token = VectrosTestServer.OperatorToken;

    [Fact]
    public async Task A_signed_call_runs_once_and_its_replay_is_refused_with_nothing_written()
    {
        using var op = fixture.Server.CreateClient(Token);
        var json = JsonSerializer.Serialize(new { name = "signed-" + Guid.NewGuid().ToString("N") });
        var call = PortalSigner.Signed(HttpMethod.Post, "/developer/partners", json, Token);
        var replay = await PortalSigner.ReplayAsync(call);
        var before = await PartnersAsync(op, json);

        Assert.Equal(HttpStatusCode.Created, (await op.SendAsync(call)).StatusCode);
        var replayed = await op.SendAsync(replay);
        Assert.Equal(HttpStatusCode.Conflict, replayed.StatusCode);
        Assert.Equal("REPLAYED_REQUEST", JsonDocument.Parse(await replayed.Content.ReadAsStringAsync()).RootElement.GetProperty("errorCode").GetString());
        Assert.Equal(before + 1, await PartnersAsync(op, json));
    }

    [Fact]
    public async Task Unsigned_mis_signed_stale_and_tampered_calls_are_401_and_write_nothing()
    {
        using var op = fixture.Server.CreateClient(Token);
        var json = JsonSerializer.Serialize(new { name = "refused-" + Guid.NewGuid().ToString("N") });

        var unsigned = new HttpRequestMessage(HttpMethod.Post, "/developer/partners") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await op.SendAsync(unsigned)).StatusCode);

        var wrongKey = PortalSigner.Signed(HttpMethod.Post, "/developer/partners", json, "not-the-operator-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await op.SendAsync(wrongKey)).StatusCode);

        var stale = PortalSigner.Signed(HttpMethod.Post, "/developer/partners", json, Token, at: DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await op.SendAsync(stale)).StatusCode);

        // A body changed after signing no longer matches.
        var tampered = PortalSigner.Signed(HttpMethod.Post, "/developer/partners", json, Token);
        tampered.Content = new StringContent(json.Replace("refused-", "tampered-", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await op.SendAsync(tampered)).StatusCode);

        // Signed for another path.
        var moved = PortalSigner.Signed(HttpMethod.Post, "/developer/domains", json, Token);
        moved.RequestUri = new Uri("/developer/partners", UriKind.Relative);
        Assert.Equal(HttpStatusCode.Unauthorized, (await op.SendAsync(moved)).StatusCode);

        Assert.Equal(0, await PartnersAsync(op, json));
        Assert.Equal(0, await PartnersAsync(op, json.Replace("refused-", "tampered-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Reads_need_no_signature_and_the_operator_token_is_still_required()
    {
        using var op = fixture.Server.CreateClient(Token);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync("/developer/domains")).StatusCode);
        using var anonymous = fixture.Server.CreateClient("wrong-token");
        var signedWithoutToken = PortalSigner.Signed(HttpMethod.Post, "/developer/partners", "{\"name\":\"x\"}", Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(signedWithoutToken)).StatusCode);
    }

    private async Task<long> PartnersAsync(HttpClient op, string json)
    {
        var name = JsonDocument.Parse(json).RootElement.GetProperty("name").GetString();
        var db = (Npgsql.NpgsqlDataSource)fixture.Server.Services.GetService(typeof(Npgsql.NpgsqlDataSource))!;
        await using var command = db.CreateCommand("SELECT count(*) FROM partners WHERE name = $1");
        command.Parameters.Add(new() { Value = name });
        _ = op;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
