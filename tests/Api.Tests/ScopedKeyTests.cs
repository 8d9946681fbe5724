using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Scoped keys <c>ssk_</c> (issue #9 item 4, spec createScopedKey…revokeScopedKey, API-DELTA §8.6): minted once with
/// their secret, idempotent by (tenant, context, user, keyName), stored as a hash only, listed per environment,
/// revoked for good, and 404 for whatever is not the caller's.
/// </summary>
public sealed class ScopedKeyTests : ScopedKeyTestBase
{
    [Fact]
    public async Task A_key_is_minted_once_listed_read_used_and_revoked()
    {
        var user = await UserWithProfileAsync(["schemas:r", "records:r:note"]);
        var (status, created) = await MintAsync(user, "research-bot production", label: "Claude Desktop - notes RO");
        Assert.Equal(HttpStatusCode.Created, status);
        var keyId = created.GetProperty("keyId").GetString()!;
        var raw = created.GetProperty("rawKey").GetString()!;
        Assert.True(Guid.TryParse(keyId, out _));
        Assert.StartsWith("ssk_test_", raw, StringComparison.Ordinal);
        Assert.Equal("scoped", created.GetProperty("keyType").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal("SERVICE", created.GetProperty("userType").GetString());
        Assert.Equal(user, created.GetProperty("userId").GetString());
        Assert.Equal($"{Partner.TestTenantId}#default#usr_{user}", created.GetProperty("accessProfileRef").GetString());

        // The same request again: the same key, 200, and the secret is not disclosed a second time.
        var (again, repeat) = await MintAsync(user, "research-bot production", label: "Claude Desktop - notes RO");
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(keyId, repeat.GetProperty("keyId").GetString());
        Assert.False(repeat.TryGetProperty("rawKey", out _));

        // Stored as SHA-256 only: no column of the row holds the secret.
        await using (var cmd = Db.CreateCommand("SELECT key_hash, row_to_json(k)::text FROM scoped_keys k WHERE key_id = $1"))
        {
            cmd.Parameters.AddWithValue(keyId);
            await using var reader = await cmd.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(raw)), reader.GetFieldValue<byte[]>(0));
            Assert.DoesNotContain(raw["ssk_test_".Length..], reader.GetString(1), StringComparison.Ordinal);
        }

        using var key = Server.CreateClient(raw);
        var ping = await key.GetFromJsonAsync<JsonElement>("/v1/ping");
        Assert.Equal("scoped_key", ping.GetProperty("principalType").GetString());
        Assert.Equal(keyId, ping.GetProperty("principalKeyId").GetString());
        Assert.Equal("Claude Desktop - notes RO", ping.GetProperty("principalLabel").GetString());
        Assert.Equal(Partner.TestTenantId, ping.GetProperty("tenantId").GetString());
        Assert.Equal(["schemas:r", "records:r:note"], ping.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(user, ping.GetProperty("dataScope").GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(key, "/v1/schemas"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(key, Route)); // the profile grants no keys:r

        var listed = await Client.GetFromJsonAsync<JsonElement>(Route);
        var item = Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.Equal(keyId, item.GetProperty("keyId").GetString());
        Assert.False(item.TryGetProperty("rawKey", out _));
        var one = await Client.GetFromJsonAsync<JsonElement>($"{Route}/{keyId}");
        Assert.Equal("research-bot production", one.GetProperty("keyName").GetString());
        Assert.False(one.TryGetProperty("rawKey", out _));
        Assert.True(one.TryGetProperty("lastUsedAt", out _), "the key was used (ping), so lastUsedAt is set");

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"{Route}/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"{Route}/{keyId}")).StatusCode);
        await UntilStatusAsync(key, "/v1/ping", HttpStatusCode.Unauthorized, "a revoked key is refused");

        var revoked = await Client.GetFromJsonAsync<JsonElement>($"{Route}/{keyId}");
        Assert.Equal("revoked", revoked.GetProperty("status").GetString());
        Assert.True(revoked.TryGetProperty("revokedAt", out _));
        Assert.Empty((await Client.GetFromJsonAsync<JsonElement>(Route)).GetProperty("data").EnumerateArray());

        // A revoked key frees its name: minting it again is a new key with a new secret.
        var (fresh, next) = await MintAsync(user, "research-bot production");
        Assert.Equal(HttpStatusCode.Created, fresh);
        Assert.NotEqual(keyId, next.GetProperty("keyId").GetString());
    }

    [Fact]
    public async Task The_raw_key_never_reaches_the_admin_log()
    {
        var user = await UserWithProfileAsync(["schemas:r"]);
        var (keyId, raw) = await MintKeyAsync(user);
        using var key = Server.CreateClient(raw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(key, "/v1/schemas"));

        // The key's own call is logged under its key id; nothing logged anywhere holds its secret.
        await Poll.UntilAsync(async () => await CountAsync("SELECT count(*) FROM api_call_log WHERE credential_id = $1", keyId) > 0,
            "the key's call is in the admin log", TimeSpan.FromSeconds(30));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM api_call_log l WHERE strpos(row_to_json(l)::text, $1) > 0", raw));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM entity_versions v WHERE strpos(row_to_json(v)::text, $1) > 0", raw));
        var logs = await Client.GetAsync("/v1/admin/logs?resource=auth");
        Assert.DoesNotContain(raw, await logs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_per_environment()
    {
        var user = await UserWithProfileAsync(["schemas:r"]);
        var (keyId, raw) = await MintKeyAsync(user);
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);

        // The live environment neither lists nor finds nor revokes the test key, and cannot mint into the test tenant.
        Assert.Empty((await live.GetFromJsonAsync<JsonElement>(Route)).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(live, $"{Route}/{keyId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await live.DeleteAsync($"{Route}/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await MintAsync(user, client: live)).Status);

        // Nor may the test root key name the live tenant.
        var toLive = await Client.PostAsJsonAsync(Route, new { keyName = "x", tenantId = Partner.LiveTenantId, contextId = "default", userId = user });
        Assert.Equal(HttpStatusCode.NotFound, toLive.StatusCode);

        // The key acts in its own tenant only, and its secret under the other prefix is no credential.
        using var key = Server.CreateClient(raw);
        Assert.Equal(Partner.TestTenantId, (await key.GetFromJsonAsync<JsonElement>("/v1/ping")).GetProperty("tenantId").GetString());
        using var swapped = Server.CreateClient("ssk_live_" + raw["ssk_test_".Length..]);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(swapped, "/v1/ping"));
    }

    [Fact]
    public async Task Unknown_user_missing_profile_and_other_accounts_are_404()
    {
        var withoutProfile = await CreateUserAsync();
        var (noProfile, noProfileBody) = await MintAsync(withoutProfile);
        var (unknown, unknownBody) = await MintAsync(Guid.NewGuid().ToString());
        var (malformed, malformedBody) = await MintAsync("alice-001");
        Assert.Equal(HttpStatusCode.NotFound, noProfile);
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Equal(HttpStatusCode.NotFound, malformed);

        // One message for all three, naming the access profile: it does not tell which users exist.
        var message = noProfileBody.GetProperty("message").GetString();
        Assert.Contains("access profile", message, StringComparison.Ordinal);
        Assert.Equal(message, unknownBody.GetProperty("message").GetString());
        Assert.Equal(message, malformedBody.GetProperty("message").GetString());

        var user = await UserWithProfileAsync(["schemas:r"]);
        Assert.Equal(HttpStatusCode.NotFound, (await MintAsync(user, contextId: "no-such-context")).Status);
        Assert.Equal(0, await ScopedKeyRowsAsync());

        // Another account's key is as absent as a key that never existed.
        var (keyId, _) = await MintKeyAsync(user);
        var other = await Server.CreatePartnerAsync("other");
        using var stranger = Server.CreateClient(other.TestKey.RawKey);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(stranger, $"{Route}/{keyId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"{Route}/{keyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Client, $"{Route}/{Guid.NewGuid()}"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(Client, $"{Route}/not-a-key-id"));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"{Route}/{Guid.NewGuid()}")).StatusCode);
        var foreignTenant = await Client.PostAsJsonAsync(Route, new { keyName = "x", tenantId = other.TestTenantId, contextId = "default", userId = user });
        Assert.Equal(HttpStatusCode.NotFound, foreignTenant.StatusCode);
        Assert.Equal("active", (await Client.GetFromJsonAsync<JsonElement>($"{Route}/{keyId}")).GetProperty("status").GetString());
    }

    private async Task<long> CountAsync(string sql, string value)
    {
        await using var cmd = Db.CreateCommand(sql);
        cmd.Parameters.AddWithValue(value);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
