using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// The operator commands behind <c>./vectros admin</c>. They redirect the process-wide console and read the
/// connection string from the environment, so they run alone. Each runs a private silo, so they work whether or not
/// a server is running on the same database.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class AdminCommandTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("admin");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Create_partner_prints_keys_that_work_and_revoke_key_disables_them()
    {
        var (exit, output) = await RunAsync("create-partner", "--name", "CLI partner", "--json");
        Assert.Equal(0, exit);
        var created = JsonSerializer.Deserialize<TestPartner>(output, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.StartsWith("sk_test_", created.TestKey.RawKey, StringComparison.Ordinal);

        await using var server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?> { ["Vectros:CredentialCacheTime"] = "00:00:00" });
        using var client = server.CreateClient(created.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/ping")).StatusCode);

        var (revokeExit, revokeOutput) = await RunAsync("revoke-key", created.TestKey.KeyId);
        Assert.Equal(0, revokeExit);
        Assert.Contains(created.TestKey.KeyId, revokeOutput, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/ping")).StatusCode);

        Assert.Equal(2, (await RunAsync("revoke-key", "key_unknown")).Exit);
        Assert.Equal(2, (await RunAsync("create-partner")).Exit);

        // Each command ran a private one-silo cluster next to the running server's, and left no rows behind.
        await using var db = Npgsql.NpgsqlDataSource.Create(_db.ConnectionString);
        await using var cmd = db.CreateCommand("SELECT count(*) FROM orleans_membership_version WHERE deployment_id LIKE 'admin-%'");
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Rotate_signing_key_activates_a_new_key_on_a_running_server_without_invalidating_tokens()
    {
        // The command is another cluster on the same database, as a second silo would be; the server's key ring
        // re-reads the table every second here.
        await using var server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Tokens:RefreshInterval"] = "00:00:01",
        });
        var partner = await server.CreatePartnerAsync("rotation");
        using var root = server.CreateClient(partner.TestKey.RawKey);
        async Task<string> MintAsync()
        {
            var response = await root.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        }

        var before = await MintAsync();
        var (exit, output) = await RunAsync("rotate-signing-key");
        Assert.Equal(0, exit);
        var kid = output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
        Assert.StartsWith("vk_", kid, StringComparison.Ordinal);
        Assert.NotEqual(kid, TokenForge.ReadHeader(before).GetProperty("kid").GetString());

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var after = await MintAsync();
        Assert.Equal(kid, TokenForge.ReadHeader(after).GetProperty("kid").GetString());
        foreach (var token in new[] { before, after })
        {
            using var client = server.CreateClient(token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/ping")).StatusCode);
        }
    }

    private Task<(int Exit, string Output)> RunAsync(params string[] args) => AdminCli.RunAsync(_db.ConnectionString, args);
}
