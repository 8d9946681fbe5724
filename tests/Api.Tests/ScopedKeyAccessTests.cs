using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// A scoped key's authority is its bound profile as it is now (issue #9 item 4): suspending the profile, narrowing its
/// scopes or changing its role applies within 5 seconds; and the key acts in the context it is bound to (DESIGN §5a).
/// </summary>
public sealed class ScopedKeyAccessTests : ScopedKeyTestBase
{
    [Fact]
    public async Task Suspending_the_profile_refuses_the_key_and_reactivating_restores_it()
    {
        var user = await UserWithProfileAsync(["schemas:r"]);
        var (_, raw) = await MintKeyAsync(user);
        using var key = Server.CreateClient(raw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(key, "/v1/schemas"));

        await UpdateProfileAsync(user, new { status = "suspended" });
        await UntilStatusAsync(key, "/v1/schemas", HttpStatusCode.Unauthorized, "a suspended profile's key is refused");

        await UpdateProfileAsync(user, new { status = "active" });
        await UntilStatusAsync(key, "/v1/schemas", HttpStatusCode.OK, "a reactivated profile's key works again");
    }

    [Fact]
    public async Task Narrowing_the_profile_takes_the_access_away()
    {
        var user = await UserWithProfileAsync(["schemas:r", "logs:r"]);
        var (_, raw) = await MintKeyAsync(user);
        using var key = Server.CreateClient(raw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(key, "/v1/schemas"));

        await UpdateProfileAsync(user, new { scopes = new[] { Clause(["logs:r"]) } });
        await UntilStatusAsync(key, "/v1/schemas", HttpStatusCode.Forbidden, "the narrowed profile no longer grants schemas:r");
        var ping = await key.GetFromJsonAsync<JsonElement>("/v1/ping");
        Assert.Equal(["logs:r"], ping.GetProperty("allowedActions").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task A_role_change_applies_to_the_keys_of_every_profile_that_references_it()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts/default/roles",
            new { roleId = "reader", name = "Reader", scopes = new[] { Clause(["schemas:r"]) } })).StatusCode);
        var user = await CreateUserAsync();
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts/default/profiles",
            new { principalId = "usr_" + user, roleId = "reader" })).StatusCode);
        var (_, raw) = await MintKeyAsync(user);
        using var key = Server.CreateClient(raw);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(key, "/v1/schemas"));

        var put = await Client.PutAsJsonAsync("/v1/app-contexts/default/roles/reader", new { scopes = new[] { Clause(["logs:r"]) } });
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        await UntilStatusAsync(key, "/v1/schemas", HttpStatusCode.Forbidden, "the role no longer grants schemas:r");
    }

    [Fact]
    public async Task A_key_acts_in_the_context_it_is_bound_to()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "bound", name = "Bound" })).StatusCode);
        var user = await UserWithProfileAsync(["schemas:cr"], "bound");
        var (_, raw) = await MintKeyAsync(user, contextId: "bound");
        using var key = Server.CreateClient(raw);

        await CreateSchemaAsync(new { typeName = "bound_note", displayName = "Bound note" }, key);
        var mine = await key.GetFromJsonAsync<JsonElement>("/v1/schemas");
        Assert.Contains(mine.GetProperty("data").EnumerateArray(), s => s.GetProperty("typeName").GetString() == "bound_note");

        // The root key acts in default, where the key's schema is not.
        var root = await Client.GetFromJsonAsync<JsonElement>("/v1/schemas");
        Assert.DoesNotContain(root.GetProperty("data").EnumerateArray(), s => s.GetProperty("typeName").GetString() == "bound_note");
    }

    [Fact]
    public async Task A_key_writes_as_its_user_and_reads_within_its_profile_data_scope()
    {
        await CreateSchemaAsync(new { typeName = "note", displayName = "Note" });
        var other = await Client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { v = 1 }, userId = Guid.NewGuid().ToString() });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        var otherId = (await JsonAsync(other)).GetProperty("id").GetString();

        var user = await CreateUserAsync();
        await CreateProfileAsync(user, [Clause(["records:cr:note"], dataScope: new Dictionary<string, object?[]> { ["userId"] = ["${{ self.userId }}"] })]);
        var (_, raw) = await MintKeyAsync(user);
        using var key = Server.CreateClient(raw);

        var created = await key.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { v = 2 } });
        var body = await JsonAsync(created);
        Assert.True(created.StatusCode == HttpStatusCode.Created, body.ToString());
        Assert.Equal(user, body.GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(key, $"/v1/records/{otherId}"));
        var listed = await key.GetFromJsonAsync<JsonElement>("/v1/records?type=note");
        Assert.Equal([body.GetProperty("id").GetString()], listed.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }
}
