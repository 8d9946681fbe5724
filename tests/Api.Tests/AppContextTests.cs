using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class AppContextTests : ApiTestBase
{
    [Fact]
    public async Task Create_is_idempotent_by_context_id()
    {
        var first = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "myapp", name = "My app", description = "d1" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var created = await JsonAsync(first);
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal($"{Partner.TestTenantId}#myapp", created.GetProperty("id").GetString());
        Assert.Equal("active", created.GetProperty("status").GetString());
        Assert.Equal("d1", created.GetProperty("description").GetString());

        var again = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "myapp", name = "Other name" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var existing = await JsonAsync(again);
        Assert.False(existing.GetProperty("created").GetBoolean());
        Assert.Equal("My app", existing.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Upsert_overwrites_name_and_description()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "upsertme", name = "Before" });
        var response = await Client.PostAsJsonAsync("/v1/app-contexts?upsert=true", new { contextId = "upsertme", name = "After", description = "new" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.False(body.GetProperty("created").GetBoolean());
        Assert.Equal("After", body.GetProperty("name").GetString());
        Assert.Equal("new", body.GetProperty("description").GetString());

        var get = await JsonAsync(await Client.GetAsync("/v1/app-contexts/upsertme"));
        Assert.Equal("After", get.GetProperty("name").GetString());
        Assert.False(get.TryGetProperty("created", out _), "created appears only on create responses");
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Abc")]
    [InlineData("1abc")]
    [InlineData("my_app")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("my app")]
    [InlineData("x'; DROP TABLE app_contexts; --")]
    public async Task Invalid_context_ids_are_refused_and_nothing_is_written(string contextId)
    {
        var response = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId, name = "n" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Contains("contextId", body.GetProperty("message").GetString());
        Assert.Equal(2, (await ListAllAsync()).Count);
    }

    [Fact]
    public async Task Boundary_lengths_are_accepted()
    {
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "abc", name = "n" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "a" + new string('b', 30), name = "n" })).StatusCode);
    }

    [Fact]
    public async Task Reserved_contexts_exist_and_vectros_admin_cannot_be_created()
    {
        var ids = (await ListAllAsync()).Select(c => c.GetProperty("contextId").GetString()).ToList();
        Assert.Equal(["default", "vectros-admin"], ids);

        var admin = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "vectros-admin", name = "mine" });
        Assert.Equal(HttpStatusCode.BadRequest, admin.StatusCode);

        var def = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "default", name = "mine" });
        Assert.Equal(HttpStatusCode.OK, def.StatusCode);
        Assert.False((await JsonAsync(def)).GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task Missing_name_is_a_400_naming_the_field()
    {
        var response = await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "noname" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("name", body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/noname")).StatusCode);
    }

    [Fact]
    public async Task List_pages_with_a_cursor()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = $"page-{i}", name = $"P{i}" });
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = "/v1/app-contexts?limit=2" + (cursor is null ? "" : $"&startFrom={Uri.EscapeDataString(cursor)}");
            var page = await JsonAsync(await Client.GetAsync(url));
            var data = page.GetProperty("data").EnumerateArray().ToList();
            Assert.True(data.Count <= 2);
            seen.AddRange(data.Select(d => d.GetProperty("contextId").GetString()!));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(["default", "page-0", "page-1", "page-2", "page-3", "page-4", "vectros-admin"], seen);
        Assert.Equal(4, pages);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public async Task Bad_limit_is_a_400(string limit)
    {
        var response = await Client.GetAsync($"/v1/app-contexts?limit={limit}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("limit", (await JsonAsync(response)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Cursor_from_another_tenant_is_refused()
    {
        var response = await Client.GetAsync($"/v1/app-contexts?startFrom={Uri.EscapeDataString("ten_test_other#default")}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Update_is_partial_and_ignores_body_context_id()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "editme", name = "Name", description = "Desc" });
        var response = await Client.PutAsJsonAsync("/v1/app-contexts/editme", new { contextId = "something-else", description = "New desc" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal("editme", body.GetProperty("contextId").GetString());
        Assert.Equal("Name", body.GetProperty("name").GetString());
        Assert.Equal("New desc", body.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/something-else")).StatusCode);

        var nulls = await Client.PutAsJsonAsync("/v1/app-contexts/editme", new { name = (string?)null });
        Assert.Equal("Name", (await JsonAsync(nulls)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Unknown_context_is_404_for_every_verb()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync("/v1/app-contexts/nope", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("/v1/app-contexts/nope?confirm=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/app-contexts/NOT-VALID")).StatusCode);
    }

    [Fact]
    public async Task Another_tenants_context_answers_the_same_404_as_a_missing_one()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "secret-app", name = "Mine" });
        var other = await Server.CreatePartnerAsync("intruder");
        using var intruder = Server.CreateClient(other.TestKey.RawKey);
        using var sameAccountLive = Server.CreateClient(Partner.LiveKey.RawKey);

        foreach (var client in new[] { intruder, sameAccountLive })
        {
            var get = await client.GetAsync("/v1/app-contexts/secret-app");
            var missing = await client.GetAsync("/v1/app-contexts/never-existed");
            Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
            Assert.Equal((await JsonAsync(missing)).GetProperty("message").GetString(), (await JsonAsync(get)).GetProperty("message").GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await client.PutAsJsonAsync("/v1/app-contexts/secret-app", new { name = "pwned" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/v1/app-contexts/secret-app?confirm=secret-app")).StatusCode);
            var ids = (await JsonAsync(await client.GetAsync("/v1/app-contexts"))).GetProperty("data").EnumerateArray()
                .Select(d => d.GetProperty("contextId").GetString()).ToList();
            Assert.DoesNotContain("secret-app", ids);
        }

        var mine = await JsonAsync(await Client.GetAsync("/v1/app-contexts/secret-app"));
        Assert.Equal("Mine", mine.GetProperty("name").GetString());
        Assert.Equal("active", mine.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Delete_needs_matching_confirm_and_goes_purging_then_deleted()
    {
        await Client.PostAsJsonAsync("/v1/app-contexts", new { contextId = "doomed", name = "Doomed" });

        Assert.Equal(HttpStatusCode.BadRequest, (await Client.DeleteAsync("/v1/app-contexts/doomed")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.DeleteAsync("/v1/app-contexts/doomed?confirm=Doomed")).StatusCode);
        Assert.Equal("active", (await JsonAsync(await Client.GetAsync("/v1/app-contexts/doomed"))).GetProperty("status").GetString());

        var delete = await Client.DeleteAsync("/v1/app-contexts/doomed?confirm=doomed");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);

        var statuses = await AppContextPolling.StatusesUntilDeletedAsync(Client, "doomed", maxPolls: 100);

        Assert.Equal("deleted", statuses[^1]);
        Assert.All(statuses, s => Assert.Contains(s, new[] { "purging", "deleted" }));
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync("/v1/app-contexts/doomed", new { name = "x" })).StatusCode);
    }

    [Theory]
    [InlineData("default")]
    [InlineData("vectros-admin")]
    public async Task Reserved_contexts_cannot_be_deleted(string contextId)
    {
        var response = await Client.DeleteAsync($"/v1/app-contexts/{contextId}?confirm={contextId}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("active", (await JsonAsync(await Client.GetAsync($"/v1/app-contexts/{contextId}"))).GetProperty("status").GetString());
    }

    private async Task<List<JsonElement>> ListAllAsync()
    {
        var page = await JsonAsync(await Client.GetAsync("/v1/app-contexts?limit=100"));
        return page.GetProperty("data").EnumerateArray().ToList();
    }
}
