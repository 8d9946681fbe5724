using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The data scope on entities for scoped tokens (issue #9 item 7; API-DELTA §8.3, §8.4): an entity's ownership is its
/// parents plus its own <c>ns:id</c>; reads narrowed with the uniform 404; placement checked on create with the
/// entity's own namespace exempt; updates that leave the scope are 400; parent facts for <c>${{ under.self.scope.* }}</c>.
/// </summary>
public sealed class EntityDataScopeTests : IdentityTestBase
{
    private Task<HttpClient> TokenAsync(object scope) => ScopedTokens.ClientAsync(Server, Client, scope);

    private static Dictionary<string, string?[]> Scope(string key, params string?[] values) => new() { [key] = values };

    private Task<long> EntitiesAsync() => CountAsync("SELECT count(*) FROM entities WHERE tenant_id = $1");

    [Fact]
    public async Task Reads_and_lists_are_narrowed_to_the_data_scope()
    {
        var o1 = Id(await CreateEntityAsync("org", new { externalId = "o1" }));
        var o2 = Id(await CreateEntityAsync("org", new { externalId = "o2" }));
        using var token = await TokenAsync(new { allowedActions = new[] { "entities:r:org" }, dataScope = Scope("scope:org", o1) });

        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/v1/entities/org/{o1}")).StatusCode);
        await ScopedTokens.AssertInvisibleAsync(await token.GetAsync($"/v1/entities/org/{o2}"), await token.GetAsync($"/v1/entities/org/{Guid.CreateVersion7()}"));
        var page = await JsonAsync(await token.GetAsync("/v1/entities/org"));
        Assert.Equal([o1], Data(page).Select(Id));
        Assert.Empty(Data(await JsonAsync(await token.GetAsync("/v1/entities/org?externalId=o2"))));
    }

    [Fact]
    public async Task The_0_31_org_view_applies_the_same_data_scope()
    {
        var o1 = Id(await CreateEntityAsync("org", new { externalId = "o1" }));
        var o2 = Id(await CreateEntityAsync("org", new { externalId = "o2" }));
        using var token = await TokenAsync(new { allowedActions = new[] { "orgs:r" }, dataScope = Scope("orgId", o1) });

        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/v1/orgs/{o1}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/v1/orgs/{o2}")).StatusCode);
    }

    [Fact]
    public async Task Create_places_into_the_scope_with_the_own_namespace_exempt_and_writes_outside_it_are_refused()
    {
        var o1 = Id(await CreateEntityAsync("org", new { externalId = "o1" }));
        var o2 = Id(await CreateEntityAsync("org", new { externalId = "o2" }));
        var foreign = Id(await CreateEntityAsync("client", new { externalId = "c-foreign", scopes = new[] { $"org:{o2}" } }));
        using var token = await TokenAsync(new { allowedActions = new[] { "entities:crud:client" }, dataScope = Scope("scope:org", o1) });

        var mine = await CreateEntityAsync("client", new { externalId = "c1", scopes = new[] { $"org:{o1}" } }, client: token);
        var before = await EntitiesAsync();
        await CreateEntityAsync("client", new { externalId = "c2", scopes = new[] { $"org:{o2}" } }, client: token, expected: HttpStatusCode.Forbidden);
        await CreateEntityAsync("client", new { externalId = "c3" }, client: token, expected: HttpStatusCode.Forbidden);

        // Idempotent collision with an entity the caller cannot read: the uniform 400, not the entity.
        await CreateEntityAsync("client", new { externalId = "c-foreign", scopes = new[] { $"org:{o1}" } }, client: token, expected: HttpStatusCode.BadRequest);

        // Moving its own client out of the scope is a 400; the foreign one is invisible to every verb.
        var put = await token.PutAsJsonAsync($"/v1/entities/client/{Id(mine)}", new { externalId = "c1", scopes = new[] { $"org:{o2}" } });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var missing = $"/v1/entities/client/{Guid.CreateVersion7()}";
        await ScopedTokens.AssertInvisibleAsync(await token.GetAsync($"/v1/entities/client/{foreign}"), await token.GetAsync(missing));
        await ScopedTokens.AssertInvisibleAsync(
            await token.PutAsJsonAsync($"/v1/entities/client/{foreign}", new { externalId = "c-foreign", name = "x" }),
            await token.PutAsJsonAsync(missing, new { externalId = "x", name = "x" }));
        await ScopedTokens.AssertInvisibleAsync(await token.DeleteAsync($"/v1/entities/client/{foreign}"), await token.DeleteAsync(missing));
        Assert.Equal(before, await EntitiesAsync());
        Assert.Equal([$"org:{o1}"], (await JsonAsync(await Client.GetAsync($"/v1/entities/client/{Id(mine)}"))).GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Under_self_scope_reaches_the_immediate_children_of_the_callers_own_value()
    {
        var o1 = Id(await CreateEntityAsync("org", new { externalId = "o1" }));
        var o2 = Id(await CreateEntityAsync("org", new { externalId = "o2" }));
        var child = Id(await CreateEntityAsync("client", new { externalId = "c1", scopes = new[] { $"org:{o1}" } }));
        var other = Id(await CreateEntityAsync("client", new { externalId = "c2", scopes = new[] { $"org:{o2}" } }));
        using var token = await TokenAsync(new
        {
            allowedActions = new[] { "entities:r:client" },
            dataScope = Scope("scope:client", "${{ under.self.scope.org }}"),
            identity = new Dictionary<string, string> { ["scope:org"] = o1 },
        });

        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/v1/entities/client/{child}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/v1/entities/client/{other}")).StatusCode);
        Assert.Equal([child], Data(await JsonAsync(await token.GetAsync("/v1/entities/client"))).Select(Id));

        // A new child counts on the next request: facts are looked up per request.
        var late = Id(await CreateEntityAsync("client", new { externalId = "c3", scopes = new[] { $"org:{o1}" } }));
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync($"/v1/entities/client/{late}")).StatusCode);
    }
}
