using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>
/// <c>./vectros admin rotate-keys</c> re-wraps every tenant key under a new master key while servers that hold the new
/// and the previous key keep serving, and sensitive data stays readable with the new key alone afterwards.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class MasterKeyRotationTests : IAsyncLifetime
{
    private static readonly string NewMasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("rotation");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Rotation_rewraps_every_tenant_key_and_data_stays_readable()
    {
        string recordId;
        TestPartner partner;
        await using (var before = await VectrosTestServer.StartAsync(_db.ConnectionString))
        {
            partner = await before.CreatePartnerAsync("rotation");
            using var client = before.CreateClient(partner.TestKey.RawKey);
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/schemas", new
            {
                typeName = "vault",
                displayName = "Vault",
                fields = new object[] { new { fieldId = "pin", fieldType = "string", sensitive = true } },
            })).StatusCode);
            var created = await client.PostAsJsonAsync("/v1/records", new { typeName = "vault", payload = new { pin = "4321" } });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            recordId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetString()!;
        }

        // Rows wrapped before master-key ids existed carry none: the rotation finds their key by trying.
        await using (var conn = new NpgsqlConnection(_db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("UPDATE tenant_keys SET master_key_id = NULL", conn);
            Assert.True(await cmd.ExecuteNonQueryAsync() >= 1);
        }

        // During the rotation a server holds the new key and the previous one: rows under either work.
        var during = new Dictionary<string, string?>
        {
            ["Vectros:Security:MasterKey"] = NewMasterKey,
            ["Vectros:Security:PreviousMasterKeys:0"] = VectrosTestServer.MasterKey,
        };
        await using (var server = await VectrosTestServer.StartAsync(_db.ConnectionString, during))
        {
            Assert.Equal("4321", await RevealAsync(server, partner, recordId));

            var (exit, output) = await AdminCli.RunWithKeysAsync(_db.ConnectionString, NewMasterKey, [VectrosTestServer.MasterKey], "rotate-keys");
            Assert.True(exit == 0, output);
            Assert.Contains("re-wrapped", output, StringComparison.Ordinal);
            Assert.DoesNotContain(NewMasterKey, output, StringComparison.Ordinal);
            Assert.Equal("4321", await RevealAsync(server, partner, recordId));
        }

        // Every row now names the new master key; a second run has nothing to do.
        await using (var conn = new NpgsqlConnection(_db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT count(*) FILTER (WHERE master_key_id IS DISTINCT FROM $1), count(*) FROM tenant_keys", conn);
            cmd.Parameters.AddWithValue(Vectros.Grains.Security.MasterKeys.IdOf(Convert.FromBase64String(NewMasterKey)));
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.Equal(0L, reader.GetInt64(0));
            Assert.True(reader.GetInt64(1) >= 1);
        }

        var (again, againOutput) = await AdminCli.RunWithKeysAsync(_db.ConnectionString, NewMasterKey, [], "rotate-keys");
        Assert.True(again == 0, againOutput);
        Assert.Contains("re-wrapped 0", againOutput, StringComparison.Ordinal);

        // After the rotation the old key can go: the new key alone reads the data.
        await using var after = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?> { ["Vectros:Security:MasterKey"] = NewMasterKey });
        Assert.Equal("4321", await RevealAsync(after, partner, recordId));
    }

    private static async Task<string?> RevealAsync(VectrosTestServer server, TestPartner partner, string recordId)
    {
        var caller = new CallerContext(partner.TestTenantId, "default", "key_revealer", IsRoot: false, ["records:crud:vault", "records:rs:vault"]);
        var view = await server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordGrain>(caller.KeyFor(recordId)).GetAsync(caller);
        return view.Payload.GetProperty("pin").GetString();
    }
}
