using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #7 item 2: <c>/v1/namespaces</c> (API-DELTA-0.40 §8.2) over real HTTP and the real database.</summary>
public sealed class NamespaceTests : IdentityTestBase
{
    [Fact]
    public async Task Every_tenant_starts_with_org_and_client_tenant_wide_and_entity_backed()
    {
        var page = await JsonAsync(await Client.GetAsync("/v1/namespaces"));
        var names = Data(page).ToDictionary(n => n.GetProperty("namespace").GetString()!);
        Assert.Equal(["client", "org"], names.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, rank) in new[] { ("org", 1000), ("client", 2000) })
        {
            var ns = names[name];
            Assert.Equal(rank, ns.GetProperty("specificityRank").GetInt32());
            Assert.True(ns.GetProperty("entityBacked").GetBoolean());
            Assert.True(ns.GetProperty("reserved").GetBoolean());
            Assert.Equal(JsonValueKind.Null, ns.GetProperty("contextId").ValueKind);
            Assert.True(ns.TryGetProperty("createdAt", out _));
        }

        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextCursor").ValueKind);

        // The live tenant of the same partner has its own pair.
        using var live = Server.CreateClient(Partner.LiveKey.RawKey);
        Assert.Equal(2, Data(await JsonAsync(await live.GetAsync("/v1/namespaces"))).Count());
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM namespaces WHERE tenant_id IN ($1, '" + Partner.LiveTenantId + "')"));
    }

    [Fact]
    public async Task Register_get_and_a_second_registration_is_409()
    {
        var created = await RegisterAsync(new { @namespace = "team", specificityRank = 1500, entityBacked = true });
        Assert.Equal("team", created.GetProperty("namespace").GetString());
        Assert.Equal(1500, created.GetProperty("specificityRank").GetInt32());
        Assert.True(created.GetProperty("entityBacked").GetBoolean());
        Assert.False(created.GetProperty("reserved").GetBoolean());
        Assert.Equal(JsonValueKind.Null, created.GetProperty("contextId").ValueKind);

        var got = await JsonAsync(await Client.GetAsync("/v1/namespaces/team"));
        Assert.Equal(created.GetProperty("createdAt").GetString(), got.GetProperty("createdAt").GetString());

        var before = await IdentityRowsAsync();
        var again = await Client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "team", specificityRank = 1501 });
        await AssertErrorAsync(again, HttpStatusCode.Conflict, errorCode: "NAMESPACE_EXISTS");
        Assert.Equal(before, await IdentityRowsAsync());

        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces/nobody"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Membership_fields_and_the_default_schema_are_stored_and_returned()
    {
        await CreateContextAsync("grants");
        var schemaId = Guid.NewGuid().ToString();
        var created = await RegisterAsync(new
        {
            @namespace = "project",
            specificityRank = 3000,
            entityBacked = true,
            defaultSchemaId = schemaId,
            membershipRecordType = "project_member",
            membershipTargetField = "projectId",
            membershipContextId = "grants",
            membershipLevelField = "role",
            membershipLevels = new[] { "admin", "viewer" },
        });
        var got = await JsonAsync(await Client.GetAsync("/v1/namespaces/project"));
        foreach (var body in new[] { created, got })
        {
            Assert.Equal(schemaId, body.GetProperty("defaultSchemaId").GetString());
            Assert.Equal("project_member", body.GetProperty("membershipRecordType").GetString());
            Assert.Equal("projectId", body.GetProperty("membershipTargetField").GetString());
            Assert.Equal("grants", body.GetProperty("membershipContextId").GetString());
            Assert.Equal("role", body.GetProperty("membershipLevelField").GetString());
            Assert.Equal(["admin", "viewer"], body.GetProperty("membershipLevels").EnumerateArray().Select(l => l.GetString()));
        }

        // A context-owned registration keeps its grant records in its own context.
        var owned = await RegisterAsync(
            new { @namespace = "squad", specificityRank = 3001, membershipRecordType = "squad_member", membershipTargetField = "squadId" }, "grants");
        Assert.Equal("grants", owned.GetProperty("membershipContextId").GetString());
    }

    [Fact]
    public async Task Context_owned_registrations_are_listed_and_read_only_through_their_context()
    {
        await CreateContextAsync("alpha");
        await CreateContextAsync("beta");
        var alpha = await RegisterAsync(new { @namespace = "team", specificityRank = 10, entityBacked = true }, "alpha");
        Assert.Equal("alpha", alpha.GetProperty("contextId").GetString());
        await RegisterAsync(new { @namespace = "team", specificityRank = 11 }, "beta");
        await RegisterAsync(new { @namespace = "region", specificityRank = 12 });

        static IEnumerable<string> Names(JsonElement page) => Data(page).Select(n => n.GetProperty("namespace").GetString()!);
        Assert.Equal(["client", "org", "region"], Names(await JsonAsync(await Client.GetAsync("/v1/namespaces"))));
        var alphaList = await JsonAsync(await Client.GetAsync("/v1/namespaces?contextId=alpha"));
        Assert.Equal(["team"], Names(alphaList));
        Assert.Equal(10, Data(alphaList).Single().GetProperty("specificityRank").GetInt32());

        // One context's own row; else the tenant-wide one; without a context, only tenant-wide rows.
        Assert.Equal(11, (await JsonAsync(await Client.GetAsync("/v1/namespaces/team?contextId=beta"))).GetProperty("specificityRank").GetInt32());
        var fallback = await JsonAsync(await Client.GetAsync("/v1/namespaces/region?contextId=alpha"));
        Assert.Equal(JsonValueKind.Null, fallback.GetProperty("contextId").ValueKind);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces/team"), HttpStatusCode.NotFound);

        // The same name again in the same context is a conflict; in the tenant home it is a new registration.
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/namespaces?contextId=alpha", new { @namespace = "team", specificityRank = 13 }),
            HttpStatusCode.Conflict, errorCode: "NAMESPACE_EXISTS");
        await RegisterAsync(new { @namespace = "team", specificityRank = 14 });
    }

    [Fact]
    public async Task A_context_that_does_not_exist_is_404_and_nothing_is_written()
    {
        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/namespaces?contextId=ghost", new { @namespace = "team", specificityRank = 5 }),
            HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces?contextId=ghost"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces/org?contextId=ghost"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces?contextId=Not_Valid"), HttpStatusCode.BadRequest, "contextId");
        Assert.Equal(before, await IdentityRowsAsync());
    }

    public static TheoryData<string, string> BadRegistrations => new()
    {
        { """{"specificityRank": 5}""", "namespace" },
        { """{"namespace": "user", "specificityRank": 5}""", "namespace" },
        { """{"namespace": "lookup", "specificityRank": 5}""", "namespace" },
        { """{"namespace": "Team", "specificityRank": 5}""", "namespace" },
        { """{"namespace": "t", "specificityRank": 5}""", "namespace" },
        { """{"namespace": "abcdefghijklmnopqrstuvwxyz0123456", "specificityRank": 5}""", "namespace" },
        { """{"namespace": "x'; DROP TABLE namespaces; --", "specificityRank": 5}""", "namespace" },
        { """{"namespace": "team"}""", "specificityRank" },
        { """{"namespace": "team", "specificityRank": -1}""", "specificityRank" },
        { """{"namespace": "team", "specificityRank": 1000001}""", "specificityRank" },
        { """{"namespace": "team", "specificityRank": 1000}""", "specificityRank" },
        { """{"namespace": "team", "specificityRank": "5"}""", "$.specificityRank" },
        { """{"namespace": "team", "specificityRank": 5.5}""", "$.specificityRank" },
        { """{"namespace": "team", "specificityRank": 5, "entityBacked": "yes"}""", "$.entityBacked" },
        { """{"namespace": "team", "specificityRank": 5, "placement": "tenant"}""", "$.placement" },
        { """{"namespace": "team", "specificityRank": 5, "defaultSchemaId": "nope"}""", "defaultSchemaId" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member"}""", "membershipTargetField" },
        { """{"namespace": "team", "specificityRank": 5, "membershipTargetField": "teamId"}""", "membershipRecordType" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member", "membershipTargetField": "teamId"}""", "membershipContextId" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member", "membershipTargetField": "teamId", "membershipContextId": "ghost"}""", "membershipContextId" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member", "membershipTargetField": "teamId", "membershipContextId": "default", "membershipLevelField": "role"}""", "membershipLevels" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member", "membershipTargetField": "teamId", "membershipContextId": "default", "membershipLevelField": "role", "membershipLevels": []}""", "membershipLevels" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member", "membershipTargetField": "teamId", "membershipContextId": "default", "membershipLevelField": "role", "membershipLevels": ["a", "a"]}""", "membershipLevels[1]" },
        { """{"namespace": "team", "specificityRank": 5, "membershipRecordType": "member", "membershipTargetField": "1bad", "membershipContextId": "default"}""", "membershipTargetField" },
        { """{"namespace": "team", "specificityRank": 5, "membershipContextId": "default"}""", "membershipContextId" },
        { """{"namespace": "team", "specificityRank": 5, "membershipLevelField": "role", "membershipLevels": ["a"]}""", "membershipLevelField" },
    };

    [Theory]
    [MemberData(nameof(BadRegistrations))]
    public async Task Bad_registrations_are_400_naming_the_field_and_write_nothing(string json, string field)
    {
        var before = await IdentityRowsAsync();
        await AssertErrorAsync(await Client.PostAsync("/v1/namespaces", RawJson(json)), HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task A_context_owned_registration_keeps_its_membership_in_its_own_context()
    {
        await CreateContextAsync("owner");
        await CreateContextAsync("other");
        var before = await IdentityRowsAsync();
        var response = await Client.PostAsJsonAsync("/v1/namespaces?contextId=owner",
            new { @namespace = "crew", specificityRank = 7, membershipRecordType = "crew_member", membershipTargetField = "crewId", membershipContextId = "other" });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "membershipContextId");
        Assert.Equal(before, await IdentityRowsAsync());
    }

    [Fact]
    public async Task Put_changes_the_mutable_fields_only()
    {
        await RegisterAsync(new { @namespace = "dept", specificityRank = 400 });
        var put = await Client.PutAsJsonAsync("/v1/namespaces/dept", new { entityBacked = true, specificityRank = 401 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await JsonAsync(put);
        Assert.True(body.GetProperty("entityBacked").GetBoolean());
        Assert.Equal(401, body.GetProperty("specificityRank").GetInt32());

        // Omitted fields stay; the name is immutable; a taken rank is refused; all without writing.
        var kept = await JsonAsync(await Client.PutAsJsonAsync("/v1/namespaces/dept", new { @namespace = "dept" }));
        Assert.Equal(401, kept.GetProperty("specificityRank").GetInt32());
        Assert.True(kept.GetProperty("entityBacked").GetBoolean());
        await AssertErrorAsync(await Client.PutAsJsonAsync("/v1/namespaces/dept", new { @namespace = "other" }), HttpStatusCode.BadRequest, "namespace");
        await AssertErrorAsync(await Client.PutAsJsonAsync("/v1/namespaces/dept", new { specificityRank = 1000 }), HttpStatusCode.BadRequest, "specificityRank");
        await AssertErrorAsync(await Client.PutAsJsonAsync("/v1/namespaces/dept", new { membershipRecordType = "m" }), HttpStatusCode.BadRequest, "membershipTargetField");
        await AssertErrorAsync(await Client.PutAsJsonAsync("/v1/namespaces/nothere", new { specificityRank = 9 }), HttpStatusCode.NotFound);
        Assert.Equal(401, (await JsonAsync(await Client.GetAsync("/v1/namespaces/dept"))).GetProperty("specificityRank").GetInt32());

        // org and client are updatable like any other registration.
        var org = await JsonAsync(await Client.PutAsJsonAsync("/v1/namespaces/org", new { specificityRank = 1100 }));
        Assert.Equal(1100, org.GetProperty("specificityRank").GetInt32());
        Assert.True(org.GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public async Task Delete_is_204_then_404_and_org_can_be_deleted_and_registered_again()
    {
        await RegisterAsync(new { @namespace = "temp", specificityRank = 50 });
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/namespaces/temp")).StatusCode);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces/temp"), HttpStatusCode.NotFound);
        await AssertErrorAsync(await Client.DeleteAsync("/v1/namespaces/temp"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/v1/namespaces/org")).StatusCode);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces/org"), HttpStatusCode.NotFound);
        var again = await RegisterAsync(new { @namespace = "org", specificityRank = 1000, entityBacked = true });
        Assert.True(again.GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public async Task Paging_walks_every_registration_once()
    {
        for (var i = 0; i < 5; i++)
        {
            await RegisterAsync(new { @namespace = $"page{i}", specificityRank = 100 + i });
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await Client.GetAsync("/v1/namespaces?limit=3" + (cursor is null ? "" : "&startFrom=" + cursor)));
            seen.AddRange(Data(page).Select(n => n.GetProperty("namespace").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["client", "org", "page0", "page1", "page2", "page3", "page4"], seen);
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces?limit=0"), HttpStatusCode.BadRequest, "limit");
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces?limit=101"), HttpStatusCode.BadRequest, "limit");
        await AssertErrorAsync(await Client.GetAsync("/v1/namespaces?startFrom=%21%21"), HttpStatusCode.BadRequest, "startFrom");
    }

    [Fact]
    public async Task Another_tenant_sees_none_of_these_registrations()
    {
        await CreateContextAsync("hidden");
        await RegisterAsync(new { @namespace = "secret", specificityRank = 77 });
        await RegisterAsync(new { @namespace = "covert", specificityRank = 78 }, "hidden");
        var stranger = await Server.CreatePartnerAsync("Stranger");
        foreach (var key in new[] { stranger.TestKey.RawKey, Partner.LiveKey.RawKey })
        {
            using var other = Server.CreateClient(key);
            await AssertErrorAsync(await other.GetAsync("/v1/namespaces/secret"), HttpStatusCode.NotFound);
            await AssertErrorAsync(await other.PutAsJsonAsync("/v1/namespaces/secret", new { specificityRank = 1 }), HttpStatusCode.NotFound);
            await AssertErrorAsync(await other.DeleteAsync("/v1/namespaces/secret"), HttpStatusCode.NotFound);
            await AssertErrorAsync(await other.GetAsync("/v1/namespaces?contextId=hidden"), HttpStatusCode.NotFound);
            Assert.DoesNotContain("secret", Data(await JsonAsync(await other.GetAsync("/v1/namespaces"))).Select(n => n.GetProperty("namespace").GetString()));

            // The same name and rank are free in the other tenant.
            Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/v1/namespaces", new { @namespace = "secret", specificityRank = 77 })).StatusCode);
        }

        Assert.Equal(77, (await JsonAsync(await Client.GetAsync("/v1/namespaces/secret"))).GetProperty("specificityRank").GetInt32());
    }
}
