using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Deleting a user takes its access with it: its access profiles in every context are gone and its scoped keys stop
/// working (revoked in the delete's own transaction), so no credential outlives the user it acts for.
/// </summary>
public sealed class UserDeleteAccessTests : ScopedKeyTestBase
{
    [Fact]
    public async Task A_deleted_users_profiles_are_gone_and_its_scoped_keys_refused()
    {
        var other = "x" + Guid.NewGuid().ToString("N")[..12];
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = other, name = "Other" })).StatusCode);
        var user = await UserWithProfileAsync(["records:r"]);
        await CreateProfileAsync(user, [Clause(["documents:r"])], other);
        var (_, rawKey) = await MintKeyAsync(user);
        var (_, otherKey) = await MintKeyAsync(user, "bot2", other);
        using var key = Server.CreateClient(rawKey);
        using var keyElsewhere = Server.CreateClient(otherKey);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(key, "/v1/ping"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/app-contexts/default/profiles/usr_{user}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/users/{user}")).StatusCode);

        await UntilStatusAsync(key, "/v1/ping", HttpStatusCode.Unauthorized, "the deleted user's key refused");
        await UntilStatusAsync(keyElsewhere, "/v1/ping", HttpStatusCode.Unauthorized, "the deleted user's key in another context refused");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/app-contexts/default/profiles/usr_{user}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/app-contexts/{other}/profiles/usr_{user}")).StatusCode);

        // Each removed profile's history records its deletion, as a profile delete would.
        foreach (var contextId in new[] { "default", other })
        {
            var versions = await Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/app-contexts/{contextId}/profiles/usr_{user}/versions");
            Assert.Contains(versions.GetProperty("data").EnumerateArray(), v => v.GetProperty("changeType").GetString() == "DELETE");
        }

        await using var cmd = Db.CreateCommand(
            "SELECT (SELECT count(*) FROM access_profiles WHERE tenant_id = $1 AND principal_id = $2) + " +
            "(SELECT count(*) FROM scoped_keys WHERE tenant_id = $1 AND user_id = $3 AND revoked_at IS NULL)");
        cmd.Parameters.AddWithValue(Partner.TestTenantId);
        cmd.Parameters.AddWithValue("usr_" + user);
        cmd.Parameters.AddWithValue(user);
        Assert.Equal(0L, (long)(await cmd.ExecuteScalarAsync())!);
    }
}
