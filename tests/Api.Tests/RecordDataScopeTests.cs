using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Records;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// The data scope on records for scoped tokens (issue #9 item 7; API-DELTA §1 "Ownership status codes", §2, §8.4):
/// reads narrowed with a uniform 404, lists and lookups leave out-of-scope rows out, identity stamped on create and not
/// overridable, placement checked (403 on create, 400 on update, 403 for reassigning userId), reveal only where the
/// clause granting <c>s</c> matches, and refused writes write nothing.
/// </summary>
public sealed class RecordDataScopeTests : RecordTestBase
{
    private static readonly string Self = Guid.NewGuid().ToString("D");

    private Task<HttpClient> TokenAsync(object scope) => ScopedTokens.ClientAsync(Server, Client, scope);

    private static IEnumerable<string> Ids(JsonElement page) => page.GetProperty("data").EnumerateArray().Select(Id);

    [Fact]
    public async Task Reads_outside_the_data_scope_are_the_same_404_as_missing_and_lists_leave_them_out()
    {
        await CreateBareSchemaAsync("note");
        var blue = Id(await CreateRecordAsync(new { typeName = "note", payload = new { v = 1 }, scopes = new[] { "team:blue" }, externalId = "b" }));
        var red = Id(await CreateRecordAsync(new { typeName = "note", payload = new { v = 2 }, scopes = new[] { "team:red" }, externalId = "r" }));
        await CreateRecordAsync(new { typeName = "note", payload = new { v = 3 } });
        using var token = await TokenAsync(new { allowedActions = new[] { "records:r:note" }, dataScope = new Dictionary<string, string?[]> { ["scope:team"] = ["blue"] } });

        await ExpectAsync(await token.GetAsync($"/v1/records/{blue}"), HttpStatusCode.OK);
        await ScopedTokens.AssertInvisibleAsync(await token.GetAsync($"/v1/records/{red}"), await token.GetAsync($"/v1/records/{Guid.CreateVersion7()}"));
        await ScopedTokens.AssertInvisibleAsync(await token.GetAsync($"/v1/records/{red}/versions"), await token.GetAsync($"/v1/records/{Guid.CreateVersion7()}/versions"));

        Assert.Equal([blue], Ids(await ExpectAsync(await token.GetAsync("/v1/records?type=note"), HttpStatusCode.OK)));
        Assert.Equal([blue], Ids(await ExpectAsync(await token.GetAsync("/v1/records?recent=true"), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await token.GetAsync("/v1/records/lookup?type=note&field=scope:team&value=red"), HttpStatusCode.OK)));
        Assert.Empty(Ids(await ExpectAsync(await token.GetAsync("/v1/records/lookup?type=note&field=externalId&value=r"), HttpStatusCode.OK)));
        Assert.Equal([blue], Ids(await ExpectAsync(await token.GetAsync("/v1/records/lookup?type=note&field=externalId&value=b"), HttpStatusCode.OK)));

        // A dimension the clause does not name does not narrow reads: {} reads everything.
        using var open = await TokenAsync(new { allowedActions = new[] { "records:r:note" }, dataScope = new { } });
        Assert.Equal(3, Ids(await ExpectAsync(await open.GetAsync("/v1/records?type=note"), HttpStatusCode.OK)).Count());
    }

    [Fact]
    public async Task A_narrow_scope_does_not_page_through_rows_it_cannot_see()
    {
        await CreateBareSchemaAsync("note");
        for (var i = 0; i < 5; i++)
        {
            await CreateRecordAsync(new { typeName = "note", payload = new { i }, scopes = new[] { "team:red" } });
        }

        var mine = Id(await CreateRecordAsync(new { typeName = "note", payload = new { }, userId = Self }));
        var shared = Id(await CreateRecordAsync(new { typeName = "note", payload = new { }, scopes = new[] { "team:blue" } }));
        using var token = await TokenAsync(new
        {
            allowedActions = new[] { "records:r:note" },
            dataScope = new Dictionary<string, string?[]> { ["userId"] = ["${{ self.userId }}", null] },
            identity = new Dictionary<string, string> { ["userId"] = Self },
        });

        // The red rows are unowned too (userId null), so they are in scope; narrow further with a second key.
        using var narrow = await TokenAsync(new
        {
            allowedActions = new[] { "records:r:note" },
            dataScope = new Dictionary<string, string?[]> { ["userId"] = ["${{ self.userId }}"] },
            identity = new Dictionary<string, string> { ["userId"] = Self },
        });
        var page = await ExpectAsync(await narrow.GetAsync("/v1/records?type=note&limit=1"), HttpStatusCode.OK);
        Assert.Equal([mine], Ids(page));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);
        Assert.Equal([mine], Ids(await ExpectAsync(await narrow.GetAsync("/v1/records?recent=true&limit=1"), HttpStatusCode.OK)));
        Assert.Equal(7, Ids(await ExpectAsync(await token.GetAsync("/v1/records?type=note&limit=100"), HttpStatusCode.OK)).Count());
        Assert.Contains(shared, Ids(await ExpectAsync(await Client.GetAsync("/v1/records?type=note&limit=100"), HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Create_stamps_the_identity_and_a_conflicting_user_or_scope_is_refused_without_a_write()
    {
        await CreateBareSchemaAsync("note");
        using var token = await TokenAsync(new
        {
            allowedActions = new[] { "records:cru:note" },
            dataScope = new Dictionary<string, string?[]> { ["userId"] = ["${{ self.userId }}"], ["scope:team"] = ["blue"] },
            identity = new Dictionary<string, string> { ["userId"] = Self, ["scope:team"] = "blue" },
        });

        var created = await CreateRecordAsync(new { typeName = "note", payload = new { v = 1 } }, token);
        Assert.Equal(Self, created.GetProperty("userId").GetString());
        Assert.Equal(["team:blue"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var before = await CountRowsAsync();
        var other = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.Forbidden, (await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { }, userId = other })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { }, scopes = new[] { "team:red" } })).StatusCode);
        Assert.Equal(before, await CountRowsAsync());

        // Update: leaving the data scope is 400, reassigning userId is 403; neither writes.
        var id = Id(created);
        var put = await token.PutAsJsonAsync($"/v1/records/{id}", new { scopes = new[] { "team:red" } });
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PatchAsync(token, $"/v1/records/{id}", new { scopes = new[] { "team:red" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(token, $"/v1/records/{id}", new { userId = other })).StatusCode);
        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal(1, (await ExpectAsync(await Client.GetAsync($"/v1/records/{id}"), HttpStatusCode.OK)).GetProperty("version").GetInt64());

        // Inside the scope, the update goes through.
        await ExpectAsync(await PatchAsync(token, $"/v1/records/{id}", new { payload = new { v = 2 } }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_clause_that_constrains_userId_admits_naming_another_user()
    {
        await CreateBareSchemaAsync("note");
        var colleague = Guid.NewGuid().ToString("D");
        using var token = await TokenAsync(new
        {
            allowedActions = new[] { "records:c:note" },
            dataScope = new Dictionary<string, string?[]> { ["userId"] = ["${{ self.userId }}", colleague] },
            identity = new Dictionary<string, string> { ["userId"] = Self },
        });

        var named = await CreateRecordAsync(new { typeName = "note", payload = new { }, userId = colleague }, token);
        Assert.Equal(colleague, named.GetProperty("userId").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { }, userId = Guid.NewGuid() })).StatusCode);

        // {} places nothing (API-DELTA §8.4); an item with no ownership at all is a tenant-level item (§15 item 3).
        using var service = await TokenAsync(new { allowedActions = new[] { "records:c:note" }, dataScope = new { } });
        await CreateRecordAsync(new { typeName = "note", payload = new { } }, service);
        Assert.Equal(HttpStatusCode.Forbidden, (await service.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { }, scopes = new[] { "team:blue" } })).StatusCode);
    }

    [Fact]
    public async Task Writes_to_an_unreadable_record_are_the_uniform_404_and_change_nothing()
    {
        await CreateBareSchemaAsync("note");
        var red = Id(await CreateRecordAsync(new { typeName = "note", payload = new { v = 1 }, scopes = new[] { "team:red" } }));
        using var token = await TokenAsync(new { allowedActions = new[] { "records:crud:note" }, dataScope = new Dictionary<string, string?[]> { ["scope:team"] = ["blue"] } });
        var missing = $"/v1/records/{Guid.CreateVersion7()}";

        await ScopedTokens.AssertInvisibleAsync(await token.PutAsJsonAsync($"/v1/records/{red}", new { payload = new { v = 9 } }), await token.PutAsJsonAsync(missing, new { payload = new { v = 9 } }));
        await ScopedTokens.AssertInvisibleAsync(await PatchAsync(token, $"/v1/records/{red}", new { payload = new { v = 9 } }), await PatchAsync(token, missing, new { payload = new { v = 9 } }));
        await ScopedTokens.AssertInvisibleAsync(await token.DeleteAsync($"/v1/records/{red}"), await token.DeleteAsync(missing));
        var row = await ExpectAsync(await Client.GetAsync($"/v1/records/{red}"), HttpStatusCode.OK);
        Assert.Equal(1, row.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task An_idempotent_create_collision_returns_the_existing_record_only_with_read_on_it()
    {
        await CreateBareSchemaAsync("note");
        var blue = Id(await CreateRecordAsync(new { typeName = "note", payload = new { v = 1 }, scopes = new[] { "team:blue" }, externalId = "shared-b" }));
        await CreateRecordAsync(new { typeName = "note", payload = new { v = 2 }, scopes = new[] { "team:red" }, externalId = "shared-r" });
        using var token = await TokenAsync(new
        {
            allowedActions = new[] { "records:cr:note" },
            dataScope = new Dictionary<string, string?[]> { ["scope:team"] = ["blue"] },
            identity = new Dictionary<string, string> { ["scope:team"] = "blue" },
        });

        var again = await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { v = 1 }, externalId = "shared-b" });
        var body = await ExpectAsync(again, HttpStatusCode.OK);
        Assert.Equal(blue, Id(body));

        var hidden = await token.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { v = 2 }, externalId = "shared-r" });
        Assert.Equal(HttpStatusCode.BadRequest, hidden.StatusCode);
        Assert.DoesNotContain("team:red", await hidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reveal_needs_the_clause_granting_s_to_match_the_record()
    {
        await CreateSchemaAsync(new
        {
            typeName = "patient",
            displayName = "Patient",
            fields = new object[] { new { fieldId = "name", fieldType = "string" }, new { fieldId = "ssn", fieldType = "string", sensitive = true } },
        });
        var blue = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Ann", ssn = "111" }, scopes = new[] { "team:blue" } }));
        var red = Id(await CreateRecordAsync(new { typeName = "patient", payload = new { name = "Bo", ssn = "222" }, scopes = new[] { "team:red" } }));

        // Two clauses: read everything, reveal only team blue (one clause must grant the verb and match; §8.4).
        var caller = new CallerContext(Partner.TestTenantId, "default", "key_reveal", IsRoot: false, ["records:rs:patient"], new CallerAccess(
            [
                new ScopeClause(["records:r:patient"], [], []),
                new ScopeClause(["records:s:patient"], [new DataScopeRule("scope:team", ["blue"])], []),
            ],
            AccessIdentity.None));
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal("111", (await grains.GetGrain<IRecordGrain>(caller.KeyFor(blue)).GetAsync(caller)).Payload.GetProperty("ssn").GetString());
        Assert.Equal("[redacted]", (await grains.GetGrain<IRecordGrain>(caller.KeyFor(red)).GetAsync(caller)).Payload.GetProperty("ssn").GetString());
        var listed = await grains.GetGrain<IRecordQueryGrain>(caller.ContextKey).ListAsync(caller, new RecordListQuery { Type = "patient" });
        Assert.Equal(["111", "[redacted]"], listed.Data.OrderBy(r => r.Payload.GetProperty("name").GetString()).Select(r => r.Payload.GetProperty("ssn").GetString()));

        // Over HTTP, a token whose one clause reveals but is narrowed to blue: red stays invisible, blue is revealed.
        using var token = await TokenAsync(new { allowedActions = new[] { "records:rs:patient" }, dataScope = new Dictionary<string, string?[]> { ["scope:team"] = ["blue"] } });
        Assert.Equal("111", (await ExpectAsync(await token.GetAsync($"/v1/records/{blue}"), HttpStatusCode.OK)).GetProperty("payload").GetProperty("ssn").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await token.GetAsync($"/v1/records/{red}")).StatusCode);
    }
}
