using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #9 item 11: the front door's refusals are visible in the admin log, with status, errorCode and route template,
/// never the credential or the body. A 401 is never attributed to a tenant (README "Refusals in the admin log"): a refused
/// credential proves nothing about whose it is, so it is stored tenant-less for the operator. A 400 for a scope string
/// that does not parse and a 403 for a widening attempt are the tenant's own and appear in its <c>GET /v1/admin/logs</c>.
/// </summary>
public sealed class RefusalLogTests : IdentityTestBase
{
    private readonly string _since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);

    private static string RequestId(HttpResponseMessage response) => response.Headers.GetValues("X-Request-Id").Single();

    private async Task<string?> StoredRowAsync(string requestId)
    {
        await using var cmd = Db.CreateCommand("SELECT row_to_json(l)::text FROM api_call_log l WHERE request_id = $1");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = requestId });
        return await cmd.ExecuteScalarAsync() as string;
    }

    /// <summary>Polls until the tenant's admin log holds each request id; returns the entries by id.</summary>
    private async Task<Dictionary<string, JsonElement>> EntriesAsync(params string[] requestIds)
    {
        var found = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        await Poll.UntilAsync(async () =>
        {
            var page = await JsonAsync(await Client.GetAsync($"/v1/admin/logs?startTime={Uri.EscapeDataString(_since)}&errorsOnly=true&limit=500"));
            found = page.GetProperty("entries").EnumerateArray()
                .Where(e => requestIds.Contains(e.GetProperty("requestId").GetString()))
                .ToDictionary(e => e.GetProperty("requestId").GetString()!, StringComparer.Ordinal);
            return found.Count == requestIds.Length;
        }, "admin log entries for " + string.Join(", ", requestIds));
        return found;
    }

    private async Task<string> ForgedTokenAsync(Action<Dictionary<string, object?>> edit, ECDsa? signer = null)
    {
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } });
        Assert.Equal(HttpStatusCode.OK, mint.StatusCode);
        var (kid, key) = await TokenForge.ServerKeyAsync(Db);
        using (key)
        {
            var payload = TokenForge.Payload(Partner.TestTenantId, DateTimeOffset.UtcNow.AddMinutes(5));
            edit(payload);
            return TokenForge.Sign(signer ?? key, kid, payload);
        }
    }

    [Fact]
    public async Task Refused_credentials_are_logged_tenantless_with_status_code_and_route_and_never_the_credential()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var credentials = new List<string>
        {
            await ForgedTokenAsync(_ => { }, stranger),                                                           // forged signature
            await ForgedTokenAsync(p => p["exp"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()),      // expired
            await ForgedTokenAsync(p => p["tenantId"] = "tnt_nowhere"),                                           // foreign tenant
        };

        // A revoked root key, and a token it minted.
        var minter = await Server.CreatePartnerAsync("RefusalMinter");
        using (var root = Server.CreateClient(minter.TestKey.RawKey))
        {
            var minted = await JsonAsync(await root.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "schemas:r" } } }));
            credentials.Add(minted.GetProperty("token").GetString()!);
        }

        credentials.Add(minter.TestKey.RawKey);
        await Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IRootKeyGrain>(minter.TestKey.KeyId).RevokeAsync();

        foreach (var credential in credentials)
        {
            using var client = Server.CreateClient(credential);
            HttpResponseMessage? refused = null;
            await Poll.UntilAsync(async () =>
            {
                refused = await client.GetAsync("/v1/ping");
                return refused.StatusCode == HttpStatusCode.Unauthorized;
            }, "the credential is refused", TimeSpan.FromSeconds(15));

            var requestId = RequestId(refused!);
            string? row = null;
            await Poll.UntilAsync(async () => (row = await StoredRowAsync(requestId)) is not null, "the 401 in api_call_log");
            using var stored = JsonDocument.Parse(row!);
            Assert.Equal(401, stored.RootElement.GetProperty("status").GetInt32());
            Assert.Equal("UNAUTHORIZED", stored.RootElement.GetProperty("error_code").GetString());
            Assert.Equal("/v1/ping", stored.RootElement.GetProperty("route").GetString());
            Assert.Equal(JsonValueKind.Null, stored.RootElement.GetProperty("tenant_id").ValueKind);
            Assert.DoesNotContain(credential, row!, StringComparison.Ordinal);
            Assert.DoesNotContain(credential[..Math.Min(24, credential.Length)], row!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unparsable_scopes_and_widening_attempts_appear_in_the_tenants_admin_log()
    {
        // 400: a scope string that does not parse, in a profile and in a token mint.
        var badProfile = await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "key_refusal", scopes = new[] { new { allowed_actions = new[] { "records:fly" } } } });
        Assert.Equal(HttpStatusCode.BadRequest, badProfile.StatusCode);
        var badMint = await Client.PostAsJsonAsync("/v1/auth/token", new { scope = new { allowedActions = new[] { "records:fly" } } });
        Assert.Equal(HttpStatusCode.BadRequest, badMint.StatusCode);

        // 403: a token mint wider than the user's profile.
        var user = Id(await JsonAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "refusal-user" })));
        (await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = $"usr_{user}", scopes = new[] { new { allowed_actions = new[] { "records:r:note" }, data_scope = new { } } } })).EnsureSuccessStatusCode();
        var wideMint = await Client.PostAsJsonAsync("/v1/auth/token", new { userId = user, scope = new { allowedActions = new[] { "records:crud" } } });
        Assert.Equal(HttpStatusCode.Forbidden, wideMint.StatusCode);

        // 403: a scoped caller editing a profile to grant more than it holds.
        var token = await ForgedTokenAsync(p => p["allowedActions"] = new[] { "profiles:cru", "records:r:note" });
        using var scoped = Server.CreateClient(token);
        var wideEdit = await scoped.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "key_widened", scopes = new[] { new { allowed_actions = new[] { "records:crud" }, data_scope = new { } } } });
        Assert.Equal(HttpStatusCode.Forbidden, wideEdit.StatusCode);

        var entries = await EntriesAsync(RequestId(badProfile), RequestId(badMint), RequestId(wideMint), RequestId(wideEdit));
        void Check(HttpResponseMessage response, int status, string errorCode, string path)
        {
            var entry = entries[RequestId(response)];
            Assert.Equal(status, entry.GetProperty("status").GetInt32());
            Assert.Equal(errorCode, entry.GetProperty("errorCode").GetString());
            Assert.Equal(path, entry.GetProperty("path").GetString());
            Assert.DoesNotContain("records:", entry.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(token, entry.ToString(), StringComparison.Ordinal);
        }

        Check(badProfile, 400, "VALIDATION_ERROR", "/v1/app-contexts/{contextId}/profiles");
        Check(badMint, 400, "VALIDATION_ERROR", "/v1/auth/token");
        Check(wideMint, 403, "FORBIDDEN", "/v1/auth/token");
        Check(wideEdit, 403, "FORBIDDEN", "/v1/app-contexts/{contextId}/profiles");
    }
}
