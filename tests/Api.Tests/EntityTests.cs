using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #7 item 2: <c>/v1/entities/{namespace}</c> (API-DELTA-0.40 §8.3) over real HTTP and the real database.</summary>
public sealed class EntityTests : IdentityTestBase
{
    [Fact]
    public async Task Create_is_idempotent_on_external_id_and_upsert_overwrites()
    {
        var created = await CreateEntityAsync("org", new { externalId = "acme", name = "Acme", payload = new { tier = "gold" } });
        Assert.True(created.GetProperty("created").GetBoolean());
        var id = Id(created);
        Assert.Equal(7, Guid.Parse(id).Version);
        Assert.Equal("org", created.GetProperty("namespace").GetString());
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.Empty(created.GetProperty("scopes").EnumerateArray());
        Assert.Equal("gold", created.GetProperty("payload").GetProperty("tier").GetString());

        var got = await JsonAsync(await Client.GetAsync($"/v1/entities/org/{id}"));
        Assert.False(got.TryGetProperty("created", out _));
        Assert.Equal("Acme", got.GetProperty("name").GetString());

        var again = await CreateEntityAsync("org", new { externalId = "acme", name = "Other" }, expected: HttpStatusCode.OK);
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(id, Id(again));
        Assert.Equal("Acme", again.GetProperty("name").GetString());

        var upserted = await CreateEntityAsync("org", new { externalId = "acme", name = "Acme Inc", status = "SUSPENDED" }, expected: HttpStatusCode.OK, upsert: true);
        Assert.False(upserted.GetProperty("created").GetBoolean());
        Assert.Equal(id, Id(upserted));
        Assert.Equal("Acme Inc", upserted.GetProperty("name").GetString());
        Assert.Equal("SUSPENDED", upserted.GetProperty("status").GetString());
        Assert.Equal("gold", upserted.GetProperty("payload").GetProperty("tier").GetString());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM entities WHERE tenant_id = $1"));

        // The same externalId in another namespace is another entity.
        var client = await CreateEntityAsync("client", new { externalId = "acme" });
        Assert.NotEqual(id, Id(client));
    }

    [Fact]
    public async Task Put_replaces_payload_and_scopes_whole_keeps_omitted_fields_and_records_history()
    {
        var org1 = Id(await CreateEntityAsync("org", new { externalId = "o1" }));
        var org2 = Id(await CreateEntityAsync("org", new { externalId = "o2" }));
        var client = await CreateEntityAsync("client", new { externalId = "c1", name = "Jane", payload = new { a = 1, b = 2 }, scopes = new[] { $"org:{org1}", "tag:vip" } });
        var id = Id(client);
        Assert.Equal([$"org:{org1}", "tag:vip"], client.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        var put = await Client.PutAsJsonAsync($"/v1/entities/client/{id}", new { externalId = "c1", payload = new { c = 3 }, scopes = new[] { $"org:{org2}", $"client:{id}" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await JsonAsync(put);
        Assert.Equal("Jane", body.GetProperty("name").GetString());
        Assert.Equal("""{"c":3}""", body.GetProperty("payload").GetRawText());
        Assert.Equal([$"org:{org2}"], body.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        // The same content again is a no-op: no history row.
        await Client.PutAsJsonAsync($"/v1/entities/client/{id}", new { payload = new { c = 3 } });
        var history = await JsonAsync(await Client.GetAsync($"/v1/entities/client/{id}/versions"));
        Assert.Equal(["UPDATE", "CREATE"], Data(history).Select(v => v.GetProperty("changeType").GetString()));
        var update = Data(history).First();
        Assert.Contains("payload.c", update.GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains("scopes", update.GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, update.GetProperty("previousVersion").GetInt64());

        // startFrom is the history's row position; a list cursor is refused naming it.
        var paged = await JsonAsync(await Client.GetAsync($"/v1/entities/client/{id}/versions?limit=1"));
        Assert.Single(Data(paged));
        var rest = await JsonAsync(await Client.GetAsync($"/v1/entities/client/{id}/versions?startFrom={paged.GetProperty("nextCursor").GetString()}"));
        Assert.Equal("CREATE", Data(rest).Single().GetProperty("changeType").GetString());
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/client/{id}/versions?startFrom=abc"), HttpStatusCode.BadRequest, "startFrom");
    }

    [Fact]
    public async Task Delete_is_204_keeps_history_and_a_namespace_with_entities_cannot_be_deleted()
    {
        await RegisterAsync(new { @namespace = "team", specificityRank = 1500, entityBacked = true });
        var id = Id(await CreateEntityAsync("team", new { externalId = "eng" }));

        await AssertErrorAsync(await Client.DeleteAsync("/v1/namespaces/team"), HttpStatusCode.Conflict, errorCode: "RESOURCE_IN_USE");
        await AssertErrorAsync(await Client.PutAsJsonAsync("/v1/namespaces/team", new { entityBacked = false }), HttpStatusCode.Conflict, errorCode: "RESOURCE_IN_USE");
        Assert.True((await JsonAsync(await Client.GetAsync("/v1/namespaces/team"))).GetProperty("entityBacked").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/entities/team/{id}")).StatusCode);
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/team/{id}"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.DeleteAsync($"/v1/entities/team/{id}"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/team/{id}", new { name = "x" }), HttpStatusCode.NotFound);
        var history = await JsonAsync(await Client.GetAsync($"/v1/entities/team/{id}/versions"));
        Assert.Equal(["DELETE", "CREATE"], Data(history).Select(v => v.GetProperty("changeType").GetString()));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM entity_lookups WHERE tenant_id = $1"));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/namespaces/team")).StatusCode);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/team", new { externalId = "x" }), HttpStatusCode.BadRequest, "namespace");
    }

    [Fact]
    public async Task The_namespace_must_be_registered_and_entity_backed()
    {
        await RegisterAsync(new { @namespace = "label", specificityRank = 10 });
        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/label", new { externalId = "x" }), HttpStatusCode.BadRequest, "namespace");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/nothing", new { externalId = "x" }), HttpStatusCode.BadRequest, "namespace");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/user", new { externalId = "x" }), HttpStatusCode.BadRequest, "namespace");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/label"), HttpStatusCode.BadRequest, "namespace");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/Bad!"), HttpStatusCode.BadRequest, "namespace");
        Assert.Equal(before, await IdentityRowsAsync());

        // Once backed, it holds entities.
        await Client.PutAsJsonAsync("/v1/namespaces/label", new { entityBacked = true });
        await CreateEntityAsync("label", new { externalId = "x" });
    }

    [Fact]
    public async Task Context_id_is_required_for_a_context_owned_namespace_and_refused_for_a_tenant_wide_one()
    {
        await CreateContextAsync("alpha");
        await CreateContextAsync("beta");
        await RegisterAsync(new { @namespace = "team", specificityRank = 20, entityBacked = true }, "alpha");
        await RegisterAsync(new { @namespace = "team", specificityRank = 21, entityBacked = true }, "beta");
        var before = await IdentityRowsAsync();

        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/team", new { externalId = "eng" }), HttpStatusCode.BadRequest, "contextId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/org?contextId=alpha", new { externalId = "eng" }), HttpStatusCode.BadRequest, "contextId");
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/org?contextId=alpha"), HttpStatusCode.BadRequest, "contextId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/team?contextId=ghost", new { externalId = "eng" }), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/team?contextId=ghost"), HttpStatusCode.NotFound);
        Assert.Equal(before, await IdentityRowsAsync());

        // The same externalId names a different entity in each context, and neither is visible from the other.
        var inAlpha = await CreateEntityAsync("team", new { externalId = "eng" }, "alpha");
        var inBeta = await CreateEntityAsync("team", new { externalId = "eng" }, "beta");
        Assert.NotEqual(Id(inAlpha), Id(inBeta));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/entities/team/{Id(inAlpha)}?contextId=alpha")).StatusCode);
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/team/{Id(inAlpha)}?contextId=beta"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.DeleteAsync($"/v1/entities/team/{Id(inAlpha)}?contextId=beta"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/team/{Id(inAlpha)}/versions?contextId=beta"), HttpStatusCode.NotFound);
        var alphaList = await JsonAsync(await Client.GetAsync("/v1/entities/team?contextId=alpha"));
        Assert.Equal([Id(inAlpha)], Data(alphaList).Select(Id));
        Assert.Equal("alpha", await ScalarAsync($"SELECT context_id FROM entities WHERE entity_id = '{Id(inAlpha)}'"));
        Assert.Equal("", await ScalarAsync($"SELECT context_id FROM entities WHERE tenant_id = $1 AND namespace = 'org' LIMIT 1", createOrg: true));
    }

    [Fact]
    public async Task Parents_must_exist_in_entity_backed_namespaces_and_nothing_is_written_otherwise()
    {
        var org = Id(await CreateEntityAsync("org", new { externalId = "acme" }));
        await RegisterAsync(new { @namespace = "label", specificityRank = 30 });
        var ok = await CreateEntityAsync("client", new { externalId = "c1", scopes = new[] { $"org:{org}", "label:anything" } });
        Assert.Equal(["label:anything", $"org:{org}"], ok.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        var free = await CreateEntityAsync("client", new { externalId = "c2", scopes = new[] { "unregistered:value-1" } });
        Assert.Single(free.GetProperty("scopes").EnumerateArray());

        var before = await IdentityRowsAsync();
        var missing = Guid.CreateVersion7();
        var body = await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "c3", scopes = new[] { $"org:{missing}" } }),
            HttpStatusCode.BadRequest, "scopes");
        Assert.Contains($"org:{missing}", body.GetProperty("message").GetString());
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "c3", scopes = new[] { "org:not-an-id" } }),
            HttpStatusCode.BadRequest, "scopes");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "c3", scopes = new[] { $"client:{Id(ok)}" } }),
            HttpStatusCode.BadRequest, "scopes");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "c3", scopes = new[] { $"org:{org}", "a1:x", "b1:y" } }),
            HttpStatusCode.BadRequest, "scopes");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/entities/client", new { externalId = "c3", scopes = new[] { $"org:{org}", $"org:{org}" } }),
            HttpStatusCode.BadRequest, "scopes");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/client/{Id(ok)}", new { scopes = new[] { $"org:{missing}" } }),
            HttpStatusCode.BadRequest, "scopes");
        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task List_filters_by_external_id_scope_and_user_and_pages()
    {
        var org = Id(await CreateEntityAsync("org", new { externalId = "acme" }));
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Id(await CreateEntityAsync("client", new { externalId = $"c{i}", scopes = i < 3 ? new[] { $"org:{org}" } : Array.Empty<string>() })));
        }

        Assert.Equal([ids[2]], Data(await JsonAsync(await Client.GetAsync("/v1/entities/client?externalId=c2"))).Select(Id));
        Assert.Empty(Data(await JsonAsync(await Client.GetAsync("/v1/entities/client?externalId=nobody"))));
        Assert.Equal(ids.Take(3), Data(await JsonAsync(await Client.GetAsync($"/v1/entities/client?scope=org:{org}"))).Select(Id));
        Assert.Equal([ids[4]], Data(await JsonAsync(await Client.GetAsync($"/v1/entities/client?scope=client:{ids[4]}"))).Select(Id));
        Assert.Equal([org], Data(await JsonAsync(await Client.GetAsync($"/v1/entities/org?scope=org:{org}"))).Select(Id));
        Assert.Empty(Data(await JsonAsync(await Client.GetAsync($"/v1/entities/client?userId={Guid.NewGuid()}"))));

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await Client.GetAsync("/v1/entities/client?limit=2" + (cursor is null ? "" : "&startFrom=" + cursor)));
            seen.AddRange(Data(page).Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(ids, seen);
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "order=desc", "order" },
        { "externalId=c1&scope=org:x", "externalId" },
        { "externalId=c1&type=t&field=f&value=v", "externalId" },
        { "scope=org", "scope" },
        { "scope=Org:x", "scope" },
        { "userId=nope", "userId" },
        { "limit=0", "limit" },
        { "limit=101", "limit" },
        { "startFrom=%21%21", "startFrom" },
        { "type=t", "field" },
        { "field=f&value=v", "type" },
        { "type=t&field=f", "value" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_list_queries_are_400_naming_the_parameter(string query, string field)
    {
        await AssertErrorAsync(await Client.GetAsync("/v1/entities/client?" + query), HttpStatusCode.BadRequest, field);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"name": "no external id"}""", "externalId" },
        { """{"externalId": ""}""", "externalId" },
        { $$"""{"externalId": "{{new string('x', 257)}}"}""", "externalId" },
        { $$"""{"externalId": "x", "name": "{{new string('n', 201)}}"}""", "name" },
        { """{"externalId": "x", "status": "DELETED"}""", "status" },
        { """{"externalId": "x", "schemaId": "nope"}""", "schemaId" },
        { $$"""{"externalId": "x", "schemaId": "{{Guid.NewGuid()}}"}""", "schemaId" },
        { """{"externalId": "x", "payload": [1]}""", "$.payload" },
        { """{"externalId": "x", "scopes": "org:x"}""", "$.scopes" },
        { """{"externalId": "x", "scopes": ["no-colon"]}""", "scopes" },
        { """{"externalId": "x", "scopes": ["user:x"]}""", "scopes" },
        { """{"externalId": "x", "scopes": ["org:'; DROP TABLE entities; --"]}""", "scopes" },
        { """{"externalId": "x", "orgId": "x"}""", "$.orgId" },
        { """{"externalId": 5}""", "$.externalId" },
        { """{"externalId": "x",}""", "$" },
        { "[]", "$" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_create_bodies_are_400_naming_the_field_and_write_nothing(string json, string field)
    {
        var before = await IdentityRowsAsync();
        var response = await Client.PostAsync("/v1/entities/client", RawJson(json));
        if (field == "$")
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest);
        }
        else
        {
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, field);
        }

        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task Put_refuses_a_changed_external_id_and_bad_fields_without_writing()
    {
        var id = Id(await CreateEntityAsync("org", new { externalId = "keep" }));
        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/org/{id}", new { externalId = "other" }), HttpStatusCode.BadRequest, "externalId");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/org/{id}", new { status = "gone" }), HttpStatusCode.BadRequest, "status");
        await AssertErrorAsync(await Client.PutAsync($"/v1/entities/org/{id}", RawJson("""{"payload": "text"}""")), HttpStatusCode.BadRequest, "$.payload");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/entities/org/not-a-uuid", new { name = "x" }), HttpStatusCode.NotFound);
        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task Another_tenant_and_the_live_environment_cannot_reach_these_entities()
    {
        await CreateContextAsync("hidden");
        await RegisterAsync(new { @namespace = "team", specificityRank = 40, entityBacked = true }, "hidden");
        var org = Id(await CreateEntityAsync("org", new { externalId = "acme", name = "Acme" }));
        var team = Id(await CreateEntityAsync("team", new { externalId = "eng" }, "hidden"));
        var stranger = await Server.CreatePartnerAsync("Stranger");
        foreach (var key in new[] { stranger.TestKey.RawKey, Partner.LiveKey.RawKey })
        {
            using var other = Server.CreateClient(key);
            foreach (var response in new[]
            {
                await other.GetAsync($"/v1/entities/org/{org}"),
                await other.PutAsJsonAsync($"/v1/entities/org/{org}", new { name = "taken" }),
                await other.DeleteAsync($"/v1/entities/org/{org}"),
                await other.GetAsync($"/v1/entities/org/{org}/versions"),
                await other.GetAsync($"/v1/entities/team/{team}?contextId=hidden"),
            })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            Assert.Empty(Data(await JsonAsync(await other.GetAsync("/v1/entities/org?externalId=acme"))));
            Assert.Empty(Data(await JsonAsync(await other.GetAsync($"/v1/entities/org?scope=org:{org}"))));

            // A parent from another tenant does not exist here.
            await AssertErrorAsync(await other.PostAsJsonAsync("/v1/entities/client", new { externalId = "c", scopes = new[] { $"org:{org}" } }),
                HttpStatusCode.BadRequest, "scopes");
        }

        var mine = await JsonAsync(await Client.GetAsync($"/v1/entities/org/{org}"));
        Assert.Equal("Acme", mine.GetProperty("name").GetString());
        Assert.Single(Data(await JsonAsync(await Client.GetAsync($"/v1/entities/org/{org}/versions"))));
    }

    [Fact]
    public async Task Deleting_a_context_deletes_its_namespaces_and_entities_but_not_the_tenant_wide_ones()
    {
        await CreateContextAsync("doomed");
        await RegisterAsync(new { @namespace = "team", specificityRank = 50, entityBacked = true }, "doomed");
        var team = Id(await CreateEntityAsync("team", new { externalId = "eng" }, "doomed"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/entities/team/{team}?contextId=doomed")).StatusCode);
        var org = Id(await CreateEntityAsync("org", new { externalId = "acme" }));

        var delete = await Client.DeleteAsync("/v1/app-contexts/doomed?confirm=doomed");
        Assert.True(delete.IsSuccessStatusCode, $"{delete.StatusCode}");
        Assert.Equal("deleted", (await AppContextPolling.StatusesUntilDeletedAsync(Client, "doomed"))[^1]);

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM namespaces WHERE tenant_id = $1 AND context_id = 'doomed'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM entities WHERE tenant_id = $1 AND context_id = 'doomed'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM entity_versions WHERE tenant_id = $1 AND context_id = 'doomed'"));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM namespaces WHERE tenant_id = $1"));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/entities/org/{org}")).StatusCode);

        // A context of the same name starts empty.
        await CreateContextAsync("doomed");
        await AssertErrorAsync(await Client.GetAsync($"/v1/entities/team/{team}?contextId=doomed"), HttpStatusCode.BadRequest, "namespace");
    }

    private async Task<string?> ScalarAsync(string sql, bool createOrg = false)
    {
        if (createOrg)
        {
            await CreateEntityAsync("org", new { externalId = "home-check" });
        }

        await using var cmd = Db.CreateCommand(sql);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
        return await cmd.ExecuteScalarAsync() as string;
    }
}
