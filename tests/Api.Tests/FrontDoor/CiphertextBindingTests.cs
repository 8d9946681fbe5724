using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Records;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.FrontDoor;

/// <summary>
/// A sensitive value's ciphertext is bound to tenant, context, kind, type, item and field, and names its data key: copied
/// (in SQL) into another record or field it fails its integrity check, surfacing as 409 INTEGRITY_ERROR without the
/// value, while values in the old v1 format still read (issue #9 item 10).
/// </summary>
public sealed class CiphertextBindingTests : RecordTestBase
{
    private CallerContext Revealer => new(Partner.TestTenantId, "default", "key_revealer", IsRoot: false, ["records:crud:vault", "records:rs:vault"]);

    private IRecordGrain Grain(string id) =>
        Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRecordGrain>(Revealer.KeyFor(id));

    private Task VaultSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "vault",
        displayName = "Vault",
        fields = new object[]
        {
            new { fieldId = "name", fieldType = "string" },
            new { fieldId = "pin", fieldType = "string", sensitive = true },
            new { fieldId = "code", fieldType = "string", sensitive = true },
        },
    });

    [Fact]
    public async Task New_values_carry_the_v2_format_and_a_key_id()
    {
        await VaultSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "vault", payload = new { name = "a", pin = "1111", code = "c1" } }));
        var stored = await StoredAsync(id, "pin");
        Assert.Matches("^v2\\.k[0-9a-f]{8}\\.", stored);
        Assert.DoesNotContain("1111", stored, StringComparison.Ordinal);
        Assert.Equal("1111", (await Grain(id).GetAsync(Revealer)).Payload.GetProperty("pin").GetString());
    }

    [Theory]
    [InlineData("pin", "pin")]
    [InlineData("pin", "code")]
    public async Task A_ciphertext_copied_into_another_record_or_field_does_not_decrypt(string fromField, string toField)
    {
        await VaultSchemaAsync();
        var source = Id(await CreateRecordAsync(new { typeName = "vault", payload = new { name = "a", pin = "1111", code = "c1" } }));
        var target = Id(await CreateRecordAsync(new { typeName = "vault", payload = new { name = "b", pin = "2222", code = "c2" } }));
        var into = fromField == toField ? target : source;

        await using (var cmd = Db.CreateCommand(
            $"UPDATE records SET payload = jsonb_set(payload, '{{{toField}}}', (SELECT payload->'{fromField}' FROM records WHERE record_id = $1)) WHERE record_id = $2"))
        {
            cmd.Parameters.AddWithValue(Guid.Parse(source));
            cmd.Parameters.AddWithValue(Guid.Parse(into));
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        await EvictAsync(into);

        // The reveal read refuses with the stable integrity error and never the value.
        var fault = await Assert.ThrowsAsync<ConflictException>(() => Grain(into).GetAsync(Revealer));
        Assert.Equal("INTEGRITY_ERROR", fault.ErrorCode);
        Assert.Contains(toField, fault.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("1111", fault.Message, StringComparison.Ordinal);

        // Over HTTP: a masked read is unaffected; an edit that must merge the old value is a 409, not a 500.
        var masked = await ExpectAsync(await Client.GetAsync($"/v1/records/{into}"), HttpStatusCode.OK);
        Assert.Equal("[redacted]", masked.GetProperty("payload").GetProperty(toField).GetString());
        var patched = await PatchAsync(Client, $"/v1/records/{into}", new { payload = new { name = "z" } });
        var body = await JsonAsync(patched);
        Assert.True(patched.StatusCode == HttpStatusCode.Conflict, $"{patched.StatusCode}: {body}");
        Assert.Equal("INTEGRITY_ERROR", body.GetProperty("errorCode").GetString());
        Assert.DoesNotContain("1111", body.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_value_in_the_old_v1_format_still_reads()
    {
        await VaultSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "vault", payload = new { name = "a", pin = "1111", code = "c1" } }));

        // What the server wrote before the binding covered context and item: AES-GCM under the tenant data key with
        // associated data tenant|type|field, prefixed v1. (built here from the wrapped key and the test master key).
        var legacy = "v1." + Seal(await DataKeyAsync(), "\"0042\"", $"{Partner.TestTenantId}|vault|pin");
        await using (var cmd = Db.CreateCommand("UPDATE records SET payload = jsonb_set(payload, '{pin}', jsonb_build_object('$enc', $1::text)) WHERE record_id = $2"))
        {
            cmd.Parameters.AddWithValue(legacy);
            cmd.Parameters.AddWithValue(Guid.Parse(id));
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        await EvictAsync(id);
        Assert.Equal("0042", (await Grain(id).GetAsync(Revealer)).Payload.GetProperty("pin").GetString());

        // The next write of the item re-encrypts it in the current format.
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { name = "b" } }), HttpStatusCode.OK);
        Assert.StartsWith("v2.", await StoredAsync(id, "pin"), StringComparison.Ordinal);
        Assert.Equal("0042", (await Grain(id).GetAsync(Revealer)).Payload.GetProperty("pin").GetString());
    }

    /// <summary>The record grain caches its row: drop the activation so the next call reads what SQL changed.</summary>
    private async Task EvictAsync(string id)
    {
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        await new Vectros.Grains.Teardown.ContextActivations(grains).DeactivateAsync(Revealer.KeyFor(id), CancellationToken.None);
        await Task.Delay(200);
    }

    private async Task<string> StoredAsync(string id, string field)
    {
        await using var cmd = Db.CreateCommand($"SELECT payload->'{field}'->>'$enc' FROM records WHERE record_id = $1");
        cmd.Parameters.AddWithValue(Guid.Parse(id));
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<byte[]> DataKeyAsync()
    {
        await using var cmd = Db.CreateCommand("SELECT data_key_enc FROM tenant_keys WHERE tenant_id = $1");
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        var wrapped = (byte[])(await cmd.ExecuteScalarAsync())!;
        var key = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(Convert.FromBase64String(VectrosTestServer.MasterKey), 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), key, Encoding.UTF8.GetBytes(Partner.TestTenantId + "|data"));
        return key;
    }

    private static string Seal(byte[] key, string plaintext, string associatedData)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(28), output.AsSpan(12, 16), Encoding.UTF8.GetBytes(associatedData));
        return Convert.ToBase64String(output);
    }
}
