using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Issue #9 item 1: <c>/v1/users</c> through real HTTP against the real database (spec L4548–L4924, API-DELTA §8.8):
/// idempotent create, upsert, PUT, hard DELETE with the last-OWNER rule, lists and lookups (sensitive values through
/// the body), versions, exists-by-email, bad input and tenant isolation. Scoped callers are made by hand and the
/// grains called directly, as the front end would call them (only root keys exist over HTTP on this branch).
/// </summary>
public sealed class UserTests : IdentityTestBase
{
    private IGrainFactory Grains => Server.Services.GetRequiredService<IGrainFactory>();

    private CallerContext Scoped(params string[] actions) => new(Partner.TestTenantId, "default", "ssk_test_users", IsRoot: false, actions);

    /// <summary>Gives the user a profile in the context: a scoped (confined) caller reaches only such users (API-DELTA §8.8).</summary>
    private async Task GiveProfileAsync(string userId, string contextId = "default")
    {
        var response = await Client.PostAsJsonAsync($"/v1/app-contexts/{contextId}/profiles",
            new { principalId = $"usr_{userId}", scopes = new[] { new { allowed_actions = new[] { "records:r:note" }, data_scope = new { } } } });
        Assert.True(response.IsSuccessStatusCode, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> CreateUserAsync(object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await Client.PostAsJsonAsync("/v1/users", body);
        var json = await JsonAsync(response);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {json}");
        return json;
    }

    [Fact]
    public async Task Create_is_idempotent_by_externalId_and_upsert_overwrites_mutable_fields()
    {
        var created = await CreateUserAsync(new { externalId = "u-1", email = "Ann@Example.com", payload = new { team = "a" } });
        Assert.True(created.GetProperty("created").GetBoolean());
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        Assert.Equal("HUMAN", created.GetProperty("type").GetString());
        Assert.Equal("MEMBER", created.GetProperty("role").GetString());
        var id = Id(created);

        var again = await CreateUserAsync(new { externalId = "u-1", email = "other@example.com", type = "SERVICE" }, HttpStatusCode.OK);
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(id, Id(again));
        Assert.Equal("Ann@Example.com", again.GetProperty("email").GetString());

        // ?upsert=true overwrites; the type stays (immutable).
        var response = await Client.PostAsJsonAsync("/v1/users?upsert=true", new { externalId = "u-1", email = "ann.c@example.com", type = "SERVICE", payload = new { team = "c" } });
        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("c", body.GetProperty("payload").GetProperty("team").GetString());
        Assert.Equal("HUMAN", body.GetProperty("type").GetString());

        var get = await JsonAsync(await Client.GetAsync($"/v1/users/{id}"));
        Assert.False(get.TryGetProperty("created", out _));
        Assert.Equal("ann.c@example.com", get.GetProperty("email").GetString());

        var byExternal = await JsonAsync(await Client.GetAsync("/v1/users?externalId=u-1"));
        Assert.Equal(id, Id(byExternal.GetProperty("data")[0]));
        Assert.Empty((await JsonAsync(await Client.GetAsync("/v1/users?externalId=nobody"))).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task A_collision_returns_the_user_only_to_a_caller_that_may_read_it()
    {
        var gate = Id(await CreateUserAsync(new { externalId = "gate" }));
        await GiveProfileAsync(gate);
        Task<UserCreateResult> CreateAsync(CallerContext caller) =>
            Grains.GetGrain<IUserGrain>(UserRules.Key(Partner.TestTenantId, Guid.CreateVersion7())).CreateAsync(caller, new UserWrite { ExternalId = "gate" }, false);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => CreateAsync(Scoped("users:c")));
        Assert.Equal("externalId", refused.Field);
        Assert.False((await CreateAsync(Scoped("users:c", "users:r"))).Created);
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            Grains.GetGrain<IUserGrain>(UserRules.Key(Partner.TestTenantId, Guid.CreateVersion7()))
                .CreateAsync(Scoped("users:c"), new UserWrite { ExternalId = "would-be-owner", Role = "OWNER" }, false));
    }

    [Fact]
    public async Task Put_updates_mutable_fields_and_every_change_is_a_version()
    {
        var id = Id(await CreateUserAsync(new { externalId = "u-put", email = "put@example.com" }));
        var put = await Client.PutAsJsonAsync($"/v1/users/{id}", new { status = "SUSPENDED", payload = new { a = 1 } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("SUSPENDED", (await JsonAsync(put)).GetProperty("status").GetString());

        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{id}", new { type = "SERVICE" }), HttpStatusCode.BadRequest, "type");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{id}", new { externalId = "changed" }), HttpStatusCode.BadRequest, "externalId");
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{id}", new { status = "PENDING" }), HttpStatusCode.BadRequest, "status");

        // Identical content: no new version.
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsJsonAsync($"/v1/users/{id}", new { status = "SUSPENDED" })).StatusCode);
        var versions = await JsonAsync(await Client.GetAsync($"/v1/users/{id}/versions"));
        Assert.Equal(2, versions.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Delete_is_hard_keeps_history_and_the_last_owner_stays()
    {
        var member = Id(await CreateUserAsync(new { externalId = "u-del" }));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/users/{member}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/users/{member}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync($"/v1/users/{member}")).StatusCode);
        Assert.Equal(2, (await JsonAsync(await Client.GetAsync($"/v1/users/{member}/versions"))).GetProperty("data").GetArrayLength());
        member = Id(await CreateUserAsync(new { externalId = "u-del" }));

        var first = Id(await CreateUserAsync(new { externalId = "owner-1", role = "OWNER" }));
        await AssertErrorAsync(await Client.DeleteAsync($"/v1/users/{first}"), HttpStatusCode.Conflict, errorCode: "LAST_OWNER");
        var second = Id(await CreateUserAsync(new { externalId = "owner-2", role = "OWNER" }));
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/v1/users/{first}")).StatusCode);
        await AssertErrorAsync(await Client.PutAsJsonAsync($"/v1/users/{second}", new { role = "MEMBER" }), HttpStatusCode.Conflict, errorCode: "LAST_OWNER");
        await AssertErrorAsync(await Client.DeleteAsync($"/v1/users/{second}"), HttpStatusCode.Conflict, errorCode: "LAST_OWNER");

        // A scoped caller cannot grant or remove the account role.
        await GiveProfileAsync(member);
        await Assert.ThrowsAsync<ForbiddenException>(() =>
            Grains.GetGrain<IUserGrain>(UserRules.Key(Partner.TestTenantId, Guid.Parse(member))).UpdateAsync(Scoped("users:u"), new UserWrite { Role = "OWNER" }));
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field()
    {
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { email = "a@example.com" }), HttpStatusCode.BadRequest, "externalId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "x", email = "not-an-email" }), HttpStatusCode.BadRequest, "email");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "x", email = "a@example.com\r\nBcc: b@example.com" }), HttpStatusCode.BadRequest, "email");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = new string('x', 257) }), HttpStatusCode.BadRequest, "externalId");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "x", status = "PENDING" }), HttpStatusCode.BadRequest, "status");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "x", type = "ROBOT" }), HttpStatusCode.BadRequest, "type");
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "x", schemaId = "nope" }), HttpStatusCode.BadRequest, "schemaId");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/v1/users", RawJson("""{"externalId":"x","nickname":"y"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/v1/users/not-a-uuid")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/v1/users/{Guid.CreateVersion7()}/versions")).StatusCode);

        // An email is held by one user per tenant, matched case-insensitively; the 409 never quotes it.
        await CreateUserAsync(new { externalId = "mail-1", email = "Dup@Example.com" });
        var dup = await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users", new { externalId = "mail-2", email = "dup@example.com" }), HttpStatusCode.Conflict);
        Assert.DoesNotContain("dup@", dup.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_duplicate_key_in_the_body_is_a_400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/v1/users", RawJson("""{"externalId":"x","externalId":"y"}"""))).StatusCode);
    }

    [Fact]
    public async Task Another_tenant_and_the_live_environment_cannot_reach_these_users()
    {
        var id = Id(await CreateUserAsync(new { externalId = "private" }));
        var stranger = await Server.CreatePartnerAsync("UserStranger");
        foreach (var key in new[] { stranger.TestKey.RawKey, Partner.LiveKey.RawKey })
        {
            using var other = Server.CreateClient(key);
            foreach (var response in new[]
            {
                await other.GetAsync($"/v1/users/{id}"),
                await other.PutAsJsonAsync($"/v1/users/{id}", new { status = "SUSPENDED" }),
                await other.DeleteAsync($"/v1/users/{id}"),
                await other.GetAsync($"/v1/users/{id}/versions"),
            })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }

            Assert.Empty((await JsonAsync(await other.GetAsync("/v1/users?externalId=private"))).GetProperty("data").EnumerateArray());
        }
    }

    [Fact]
    public async Task Exists_by_email_is_case_insensitive_and_true_only_for_an_active_user_with_an_active_profile_in_the_context()
    {
        var id = Id(await CreateUserAsync(new { externalId = "exists", email = "Exists@Example.com" }));

        // No profile in the context yet: the account has the user, but not there.
        var noProfile = await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=exists%40example.com&contextId=default"));
        Assert.False(noProfile.GetProperty("exists").GetBoolean());
        Assert.Equal(id, noProfile.GetProperty("userId").GetString());

        var profile = "/v1/app-contexts/default/profiles";
        (await Client.PostAsJsonAsync(profile, new
        {
            principalId = $"usr_{id}",
            scopes = new[] { new { allowed_actions = new[] { "records:r:note" }, data_scope = new { } } },
        })).EnsureSuccessStatusCode();
        var found = await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=EXISTS%40example.com&contextId=default"));
        Assert.True(found.GetProperty("exists").GetBoolean());
        Assert.Equal(id, found.GetProperty("userId").GetString());
        Assert.Equal("ACTIVE", found.GetProperty("status").GetString());

        // A suspended profile, or another context, is not access there.
        (await Client.PutAsJsonAsync($"{profile}/usr_{id}", new { status = "suspended" })).EnsureSuccessStatusCode();
        Assert.False((await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=exists%40example.com"))).GetProperty("exists").GetBoolean());
        (await Client.PutAsJsonAsync($"{profile}/usr_{id}", new { status = "active" })).EnsureSuccessStatusCode();
        Assert.True((await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=exists%40example.com"))).GetProperty("exists").GetBoolean());

        await Client.PutAsJsonAsync($"/v1/users/{id}", new { status = "SUSPENDED" });
        var suspended = await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=exists%40example.com"));
        Assert.False(suspended.GetProperty("exists").GetBoolean());
        Assert.Equal("SUSPENDED", suspended.GetProperty("status").GetString());

        var none = await JsonAsync(await Client.GetAsync("/v1/users/exists-by-email?email=nobody%40example.com"));
        Assert.False(none.GetProperty("exists").GetBoolean());
        Assert.False(none.TryGetProperty("userId", out _));

        await AssertErrorAsync(await Client.GetAsync("/v1/users/exists-by-email"), HttpStatusCode.BadRequest, "email");
        await AssertErrorAsync(await Client.GetAsync("/v1/users/exists-by-email?email=bad"), HttpStatusCode.BadRequest, "email");
    }

    [Fact]
    public async Task Lookups_find_users_by_schema_fields_and_sensitive_values_only_through_the_body()
    {
        var schemaId = Id(await CreateSchemaAsync(new
        {
            typeName = "person_v1",
            displayName = "Person",
            allowedSurfaces = new[] { "user" },
            fields = new object[] { new { fieldId = "team", fieldType = "string" }, new { fieldId = "ssn", fieldType = "string", sensitive = true } },
            lookupFields = new object[] { new { fieldName = "team", rangeEnabled = true }, new { fieldName = "ssn", unique = true } },
        }));
        var id = Id(await CreateUserAsync(new { externalId = "p-1", schemaId, payload = new { team = "eng-core", ssn = "111-22-3333" } }));
        await CreateUserAsync(new { externalId = "p-2", schemaId, payload = new { team = "ops", ssn = "999-88-7777" } });

        var byBody = await JsonAsync(await Client.PostAsJsonAsync("/v1/users/lookup", new { type = "person_v1", field = "ssn", value = "111-22-3333" }));
        var hit = Assert.Single(byBody.GetProperty("data").EnumerateArray());
        Assert.Equal(id, Id(hit));
        Assert.Equal("[redacted]", hit.GetProperty("payload").GetProperty("ssn").GetString());

        var refused = await AssertErrorAsync(await Client.GetAsync("/v1/users?type=person_v1&field=ssn&value=111-22-3333"), HttpStatusCode.BadRequest, "field");
        Assert.DoesNotContain("111-22", refused.ToString(), StringComparison.Ordinal);

        var prefix = await JsonAsync(await Client.GetAsync("/v1/users?type=person_v1&field=team&prefix=eng"));
        Assert.Equal(id, Id(Assert.Single(prefix.GetProperty("data").EnumerateArray())));

        // users:s reveals; users:r alone (and every root key) sees the mask.
        await GiveProfileAsync(id);
        var grain = Grains.GetGrain<IUserGrain>(UserRules.Key(Partner.TestTenantId, Guid.Parse(id)));
        Assert.Equal("111-22-3333", (await grain.GetAsync(Scoped("users:r", "users:s"))).Payload.GetProperty("ssn").GetString());
        Assert.Equal("[redacted]", (await grain.GetAsync(Scoped("users:r"))).Payload.GetProperty("ssn").GetString());

        // History never holds the sensitive value.
        var versions = await Client.GetStringAsync($"/v1/users/{id}/versions");
        Assert.DoesNotContain("111-22-3333", versions, StringComparison.Ordinal);

        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/lookup", new { type = "person_v1", field = "team" }), HttpStatusCode.BadRequest);
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/users/lookup", new { type = "nope_v1", field = "team", value = "x" }), HttpStatusCode.BadRequest, "type");
    }

    [Fact]
    public async Task Lists_page_with_sealed_cursors()
    {
        for (var i = 0; i < 5; i++)
        {
            await CreateUserAsync(new { externalId = $"page-{i}" });
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await JsonAsync(await Client.GetAsync("/v1/users?limit=2" + (cursor is null ? "" : $"&startFrom={Uri.EscapeDataString(cursor)}")));
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Distinct().Count());
    }
}
