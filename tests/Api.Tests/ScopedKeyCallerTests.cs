using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A scoped caller minting keys (API-DELTA §8.6; root keys are exempt): the bound profile may not be wider than the
/// caller, the caller must hold the profile's override values, and binding another user needs <c>delegate-mint</c>.
/// Driven with real <c>ssk_</c> and <c>st_</c> callers.
/// </summary>
public sealed class ScopedKeyCallerTests : ScopedKeyTestBase
{
    [Fact]
    public async Task A_scoped_key_mints_for_its_own_user_and_needs_delegate_mint_for_another()
    {
        var admin = await UserWithProfileAsync(["keys:crd", "schemas:r", "records:r:note"]);
        var (_, adminRaw) = await MintKeyAsync(admin, "admin");
        using var adminKey = Server.CreateClient(adminRaw);

        // Its own user: the same profile, so no wider.
        var (own, ownBody) = await MintAsync(admin, "second", client: adminKey);
        Assert.True(own == HttpStatusCode.Created, ownBody.ToString());

        // Another user, even with a narrower profile: delegate-mint is missing.
        var narrow = await UserWithProfileAsync(["schemas:r"]);
        var (other, otherBody) = await MintAsync(narrow, client: adminKey);
        Assert.Equal(HttpStatusCode.Forbidden, other);
        Assert.Contains("delegate-mint", otherBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The key lists, reads and revokes within its context.
        Assert.Equal(2, (await adminKey.GetFromJsonAsync<JsonElement>(Route)).GetProperty("data").GetArrayLength());
        var secondId = ownBody.GetProperty("keyId").GetString();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(adminKey, $"{Route}/{secondId}"));
        Assert.Equal(HttpStatusCode.NoContent, (await adminKey.DeleteAsync($"{Route}/{secondId}")).StatusCode);
    }

    [Fact]
    public async Task A_delegating_key_cannot_bind_a_wider_profile_or_overrides_it_does_not_hold()
    {
        var org = (await CreateOrgAsync()).ToString();
        var otherOrg = (await CreateOrgAsync()).ToString();
        var admin = await CreateUserAsync();
        await CreateProfileAsync(admin, [Clause(["keys:c", "schemas:r", "records:r:note"], ["delegate-mint"])], identityOverrides: new Dictionary<string, string> { ["scope:org"] = org });
        var (_, adminRaw) = await MintKeyAsync(admin, "admin");
        using var adminKey = Server.CreateClient(adminRaw);

        var narrow = await UserWithProfileAsync(["schemas:r"]);
        var (ok, okBody) = await MintAsync(narrow, client: adminKey);
        Assert.True(ok == HttpStatusCode.Created, okBody.ToString());

        var wide = await UserWithProfileAsync(["schemas:crud"]);
        var (wider, widerBody) = await MintAsync(wide, client: adminKey);
        Assert.Equal(HttpStatusCode.Forbidden, wider);
        Assert.Contains("grants more than this credential holds", widerBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        // A capability the caller lacks is wider too.
        var capable = await UserWithProfileAsync(["schemas:r"], capabilities: ["forensic-read"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await MintAsync(capable, client: adminKey)).Status);

        var sameOrg = await CreateUserAsync();
        await CreateProfileAsync(sameOrg, [Clause(["schemas:r"])], identityOverrides: new Dictionary<string, string> { ["scope:org"] = org });
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(sameOrg, client: adminKey)).Status);

        var foreignOrg = await CreateUserAsync();
        await CreateProfileAsync(foreignOrg, [Clause(["schemas:r"])], identityOverrides: new Dictionary<string, string> { ["scope:org"] = otherOrg });
        var (overrides, overridesBody) = await MintAsync(foreignOrg, client: adminKey);
        Assert.Equal(HttpStatusCode.Forbidden, overrides);
        Assert.Contains("identityOverrides", overridesBody.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Root is exempt from all three.
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(wide)).Status);
        Assert.Equal(HttpStatusCode.Created, (await MintAsync(foreignOrg)).Status);
    }

    [Fact]
    public async Task A_delegate_minted_key_carries_its_delegation_chain_into_the_admin_log()
    {
        var admin = await UserWithProfileAsync(["keys:c", "schemas:r"], capabilities: ["delegate-mint"]);
        var (adminKeyId, adminRaw) = await MintKeyAsync(admin, "admin");
        using var adminKey = Server.CreateClient(adminRaw);
        var bot = await UserWithProfileAsync(["schemas:r"]);
        var (botKeyId, botRaw) = await MintKeyAsync(bot, client: adminKey);
        using var botKey = Server.CreateClient(botRaw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(botKey, "/v1/schemas"));

        await Vectros.TestSupport.Poll.UntilAsync(async () =>
        {
            await using var cmd = Db.CreateCommand("SELECT delegation_chain FROM api_call_log WHERE credential_id = $1 AND route = '/v1/schemas'");
            cmd.Parameters.AddWithValue(botKeyId);
            return await cmd.ExecuteScalarAsync() is string chain && chain.Contains(adminKeyId, StringComparison.Ordinal);
        }, "the delegated key's call names its minter", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_key_without_keys_c_cannot_mint_and_a_scoped_caller_stays_in_its_context()
    {
        var reader = await UserWithProfileAsync(["keys:r", "schemas:r"]);
        var (_, readerRaw) = await MintKeyAsync(reader, "reader");
        using var readerKey = Server.CreateClient(readerRaw);
        Assert.Equal(HttpStatusCode.Forbidden, (await MintAsync(reader, "more", client: readerKey)).Status);

        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "elsewhere", name = "Elsewhere" })).StatusCode);
        var admin = await UserWithProfileAsync(["keys:crd", "schemas:r"], capabilities: ["delegate-mint"]);
        await CreateProfileAsync(admin, [Clause(["schemas:r"])], "elsewhere");
        var (_, adminRaw) = await MintKeyAsync(admin, "admin");
        using var adminKey = Server.CreateClient(adminRaw);
        Assert.Equal(HttpStatusCode.Forbidden, (await MintAsync(admin, "x", "elsewhere", adminKey)).Status);

        // A key bound elsewhere (root-minted) is invisible to the default-context key.
        var (elsewhereId, _) = await MintKeyAsync(admin, "there", "elsewhere");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(adminKey, $"{Route}/{elsewhereId}"));
        Assert.Equal(HttpStatusCode.NotFound, (await adminKey.DeleteAsync($"{Route}/{elsewhereId}")).StatusCode);
        Assert.DoesNotContain((await adminKey.GetFromJsonAsync<JsonElement>(Route)).GetProperty("data").EnumerateArray(),
            k => k.GetProperty("keyId").GetString() == elsewhereId);
    }

    [Fact]
    public async Task A_scoped_token_cannot_mint_keys()
    {
        // Token scopes name data-plane resources only (API-DELTA §8.4), so an st_ caller never holds keys:c.
        var user = await UserWithProfileAsync(["schemas:r"]);
        var mint = await Client.PostAsJsonAsync("/v1/auth/token", new { userId = user, scope = new { allowedActions = new[] { "schemas:r" } } });
        var minted = await JsonAsync(mint);
        Assert.True(mint.StatusCode == HttpStatusCode.OK, minted.ToString());
        using var token = Server.CreateClient(minted.GetProperty("token").GetString()!);
        Assert.Equal(HttpStatusCode.Forbidden, (await MintAsync(user, client: token)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(token, Route));
        Assert.Equal(0, await ScopedKeyRowsAsync());
    }
}
