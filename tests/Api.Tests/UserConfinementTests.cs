using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// API-DELTA §8.8 "Confinement" through real HTTP: a caller confined to an app context (here an <c>st_</c> token minted
/// for a user with a profile in <c>default</c>) reaches only the users with a profile there. By-id routes answer 404 for
/// the others, lists, <c>?externalId=</c> and lookups leave them out, a create collision stays the uniform 400, and a
/// delete of a user who also has access in another context is a 409. Root keys are not confined.
/// </summary>
public sealed class UserConfinementTests : IdentityTestBase
{
    private async Task<string> CreateUserAsync(string externalId, object? payload = null, string? schemaId = null)
    {
        var response = await Client.PostAsJsonAsync("/v1/users", new { externalId, payload, schemaId });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return Id(body);
    }

    private async Task GiveProfileAsync(string userId, string contextId = "default", params string[] actions)
    {
        var response = await Client.PostAsJsonAsync($"/v1/app-contexts/{contextId}/profiles", new
        {
            principalId = $"usr_{userId}",
            scopes = new[] { new { allowed_actions = actions.Length == 0 ? new[] { "records:r:note" } : actions, data_scope = new { } } },
        });
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A client holding an <c>st_</c> token for a user-admin in <c>default</c>: a confined caller.</summary>
    private async Task<HttpClient> ConfinedClientAsync()
    {
        var admin = await CreateUserAsync("confined-admin");
        await GiveProfileAsync(admin, "default", "users:crud");
        var response = await Client.PostAsJsonAsync("/v1/auth/token",
            new { userId = admin, contextId = "default", scope = new { allowedActions = new[] { "users:crud" } } });
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return Server.CreateClient(body.GetProperty("token").GetString()!);
    }

    private static async Task<List<string>> IdsAsync(HttpResponseMessage response)
    {
        var body = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return Data(body).Select(Id).ToList();
    }

    [Fact]
    public async Task Exists_by_email_tells_a_confined_caller_nothing_about_users_outside_its_context()
    {
        var outsider = await Client.PostAsJsonAsync("/v1/users", new { externalId = "outsider", email = "outsider@example.com" });
        Assert.Equal(HttpStatusCode.Created, outsider.StatusCode);
        var insider = await CreateUserAsync("insider");
        await GiveProfileAsync(insider);
        using var confined = await ConfinedClientAsync();

        var hidden = await JsonAsync(await confined.GetAsync("/v1/users/exists-by-email?email=outsider%40example.com&contextId=default"));
        Assert.False(hidden.GetProperty("exists").GetBoolean());
        Assert.False(hidden.TryGetProperty("userId", out var id) && id.ValueKind != System.Text.Json.JsonValueKind.Null);
        Assert.False(hidden.TryGetProperty("status", out var status) && status.ValueKind != System.Text.Json.JsonValueKind.Null);

        // A root key still learns the account has the email (with its id and status).
        var root = await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=outsider%40example.com&contextId=default"));
        Assert.False(root.GetProperty("exists").GetBoolean());
        Assert.Equal(Id(await JsonAsync(outsider)), root.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_confined_caller_reaches_only_users_with_a_profile_in_its_context()
    {
        var schemaId = Id(await CreateSchemaAsync(new
        {
            typeName = "staff_v1",
            displayName = "Staff",
            allowedSurfaces = new[] { "user" },
            fields = new object[] { new { fieldId = "team", fieldType = "string" } },
            lookupFields = new object[] { new { fieldName = "team", rangeEnabled = true } },
        }));
        var inside = await CreateUserAsync("inside", new { team = "eng" }, schemaId);
        var outside = await CreateUserAsync("outside", new { team = "eng" }, schemaId);
        await GiveProfileAsync(inside);
        await CreateContextAsync("elsewhere");
        await GiveProfileAsync(outside, "elsewhere");
        using var confined = await ConfinedClientAsync();

        Assert.Equal(HttpStatusCode.OK, (await confined.GetAsync($"/v1/users/{inside}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await confined.GetAsync($"/v1/users/{inside}/versions")).StatusCode);
        foreach (var response in new[]
        {
            await confined.GetAsync($"/v1/users/{outside}"),
            await confined.PutAsJsonAsync($"/v1/users/{outside}", new { status = "SUSPENDED" }),
            await confined.DeleteAsync($"/v1/users/{outside}"),
            await confined.GetAsync($"/v1/users/{outside}/versions"),
        })
        {
            await AssertErrorAsync(response, HttpStatusCode.NotFound);
        }

        var listed = await IdsAsync(await confined.GetAsync("/v1/users"));
        Assert.Contains(inside, listed);
        Assert.DoesNotContain(outside, listed);
        Assert.Single(await IdsAsync(await confined.GetAsync("/v1/users?externalId=inside")));
        Assert.Empty(await IdsAsync(await confined.GetAsync("/v1/users?externalId=outside")));
        Assert.Equal([inside], await IdsAsync(await confined.GetAsync("/v1/users?type=staff_v1&field=team&value=eng")));
        Assert.Equal([inside], await IdsAsync(await confined.PostAsJsonAsync("/v1/users/lookup", new { type = "staff_v1", field = "team", prefix = "en" })));

        // The collision on a user it cannot see is the same 400 a caller without users:r gets: nothing about that user leaks.
        var collision = await AssertErrorAsync(await confined.PostAsJsonAsync("/v1/users", new { externalId = "outside" }), HttpStatusCode.BadRequest, "externalId");
        Assert.DoesNotContain(outside, collision.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await confined.PostAsJsonAsync("/v1/users", new { externalId = "inside" })).StatusCode);

        // Root keys are not confined.
        var all = await IdsAsync(await Client.GetAsync("/v1/users"));
        Assert.Contains(outside, all);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/users/{outside}")).StatusCode);
    }

    [Fact]
    public async Task A_confined_caller_cannot_delete_a_user_with_access_in_another_context()
    {
        var shared = await CreateUserAsync("shared");
        await GiveProfileAsync(shared);
        await CreateContextAsync("other-ctx");
        await GiveProfileAsync(shared, "other-ctx");
        var local = await CreateUserAsync("local");
        await GiveProfileAsync(local);
        using var confined = await ConfinedClientAsync();

        await AssertErrorAsync(await confined.DeleteAsync($"/v1/users/{shared}"), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/users/{shared}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await confined.DeleteAsync($"/v1/users/{local}")).StatusCode);

        // The root key may delete it.
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/users/{shared}")).StatusCode);
    }
}
