using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Ownership scopes on records (API-DELTA-0.40 §1, §2, §8.1): the 0.40 <c>scopes</c> declaration and the 0.31
/// orgId/clientId, which are the same model (DESIGN §5a), through real HTTP.
/// </summary>
public sealed class RecordScopeTests : RecordTestBase
{
    private static string[] Scopes(JsonElement record) =>
        [.. record.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)];

    [Fact]
    public async Task Scopes_are_accepted_returned_and_filtered_in_any_namespace()
    {
        await CreateBareSchemaAsync("note");
        var created = await CreateRecordAsync(new { typeName = "note", payload = new { v = 1 }, scopes = new[] { "team:blue", "project:p-1" } });
        Assert.Equal(["project:p-1", "team:blue"], Scopes(created));
        Assert.False(created.TryGetProperty("orgId", out _));

        var other = await CreateRecordAsync(new { typeName = "note", payload = new { v = 2 }, scopes = new[] { "team:red" } });
        var mine = await CreateRecordAsync(new { typeName = "note", payload = new { v = 3 }, scopes = Array.Empty<string>() });
        Assert.Empty(Scopes(mine));

        var blue = await ExpectAsync(await Client.GetAsync("/v1/records?type=note&scope=team:blue"), HttpStatusCode.OK);
        Assert.Equal([Id(created)], blue.GetProperty("data").EnumerateArray().Select(Id));

        // Ownership lookups need no declaration, in any namespace.
        var byLookup = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=note&field=scope:team&value=red"), HttpStatusCode.OK);
        Assert.Equal([Id(other)], byLookup.GetProperty("data").EnumerateArray().Select(Id));
    }

    [Fact]
    public async Task Org_and_client_ids_are_the_org_and_client_scopes_both_ways()
    {
        await CreateBareSchemaAsync("note");
        var org = await CreateOrgAsync();
        var client = await CreateClientAsync();

        // 0.31 in, both generations out.
        var legacy = await CreateRecordAsync(new { typeName = "note", payload = new { }, orgId = org, clientId = client });
        Assert.Equal([$"client:{client}", $"org:{org}"], Scopes(legacy));
        Assert.Equal(org.ToString(), legacy.GetProperty("orgId").GetString());
        Assert.Equal(client.ToString(), legacy.GetProperty("clientId").GetString());

        // 0.40 in, 0.31 fields derived.
        var modern = await CreateRecordAsync(new { typeName = "note", payload = new { }, scopes = new[] { $"org:{org}" } });
        Assert.Equal(org.ToString(), modern.GetProperty("orgId").GetString());

        // Either filter finds both.
        foreach (var url in new[] { $"/v1/records?type=note&orgId={org}", $"/v1/records?type=note&scope=org:{org}" })
        {
            var page = await ExpectAsync(await Client.GetAsync(url), HttpStatusCode.OK);
            Assert.Equal(2, page.GetProperty("data").GetArrayLength());
        }

        var byOrg = await ExpectAsync(await Client.GetAsync($"/v1/records/lookup?type=note&field=orgId&value={org}"), HttpStatusCode.OK);
        Assert.Equal(2, byOrg.GetProperty("data").GetArrayLength());

        // A 0.31 orgId on PUT sets that namespace's entry and keeps the others.
        var other = await CreateOrgAsync();
        var put = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{Id(legacy)}", new { orgId = other }), HttpStatusCode.OK);
        Assert.Equal([$"client:{client}", $"org:{other}"], Scopes(put));
    }

    [Fact]
    public async Task Scopes_on_update_replace_the_declaration_and_history_records_the_change()
    {
        await CreateBareSchemaAsync("note");
        var created = await CreateRecordAsync(new { typeName = "note", payload = new { v = 1 }, scopes = new[] { "team:blue" } });
        var id = Id(created);

        // Omitted: unchanged.
        var kept = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { v = 2 } }), HttpStatusCode.OK);
        Assert.Equal(["team:blue"], Scopes(kept));

        // PATCH with scopes replaces the whole declaration; [] clears it.
        var moved = await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { scopes = new[] { "team:red" } }), HttpStatusCode.OK);
        Assert.Equal(["team:red"], Scopes(moved));
        var cleared = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { scopes = Array.Empty<string>() }), HttpStatusCode.OK);
        Assert.Empty(Scopes(cleared));

        var versions = await ExpectAsync(await Client.GetAsync($"/v1/records/{id}/versions"), HttpStatusCode.OK);
        var changed = versions.GetProperty("data").EnumerateArray()
            .Select(v => string.Join(",", v.GetProperty("changedFields").GetProperty("fields").EnumerateArray().Select(f => f.GetString())))
            .ToList();
        Assert.Equal(2, changed.Count(c => c == "scopes"));
    }

    [Theory]
    [InlineData("""["team"]""")]
    [InlineData("""["Team:x"]""")]
    [InlineData("""["user:x"]""")]
    [InlineData("""["versions:x"]""")]
    [InlineData("""["t:x"]""")]
    [InlineData("""["team:-x"]""")]
    [InlineData("""["team:a b"]""")]
    [InlineData("""["team:a","project:b","area:c"]""")]
    [InlineData("""["team:a","team:b"]""")]
    [InlineData("""[1]""")]
    [InlineData("\"team:a\"")]
    public async Task Bad_scopes_are_a_400_naming_scopes_and_write_nothing(string scopes)
    {
        await CreateBareSchemaAsync("note");
        var before = await CountRowsAsync();
        var response = await Client.PostAsync("/v1/records", RawJson($$"""{"typeName":"note","payload":{},"scopes":{{scopes}}}"""));
        var body = await ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("scopes", body.GetProperty("details").GetProperty("field").GetString());
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task A_scope_in_an_entity_backed_namespace_must_name_an_existing_entity()
    {
        await CreateBareSchemaAsync("note");
        var before = await CountRowsAsync();
        foreach (var body in new object[]
        {
            new { typeName = "note", payload = new { }, orgId = Guid.NewGuid() },
            new { typeName = "note", payload = new { }, scopes = new[] { $"client:{Guid.NewGuid()}" } },
        })
        {
            var refused = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", body), HttpStatusCode.BadRequest);
            Assert.Equal("scopes", refused.GetProperty("details").GetProperty("field").GetString());
        }

        Assert.Equal(before, await CountRowsAsync());

        // On update too, and a registered free-form namespace takes any value.
        var created = await CreateRecordAsync(new { typeName = "note", payload = new { } });
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{Id(created)}", new { scopes = new[] { $"org:{Guid.NewGuid()}" } }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/namespaces", new { @namespace = "area", specificityRank = 5000 }), HttpStatusCode.Created);
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{Id(created)}", new { scopes = new[] { "area:north" } }), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Both_generations_in_one_request_or_a_bad_filter_is_a_400()
    {
        await CreateBareSchemaAsync("note");
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records",
            new { typeName = "note", payload = new { }, scopes = new[] { "team:a" }, orgId = Guid.NewGuid() }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.GetAsync("/v1/records?type=note&scope=team"), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.GetAsync("/v1/records?type=note&scope=self:x"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AllowClear_is_accepted_on_create_and_put_and_checked_for_shape()
    {
        await CreateBareSchemaAsync("note");
        var created = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records?upsert=true&allowClear=true", new { typeName = "note", payload = new { a = 1 } }), HttpStatusCode.Created);
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{Id(created)}?allowClear=false", new { payload = new { b = 2 } }), HttpStatusCode.OK);
        var bad = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{Id(created)}?allowClear=yes", new { payload = new { } }), HttpStatusCode.BadRequest);
        Assert.Equal("allowClear", bad.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Status_is_active_or_archived_and_archived_stays_readable()
    {
        await CreateBareSchemaAsync("note");
        var created = await CreateRecordAsync(new { typeName = "note", payload = new { } });
        Assert.Equal("ACTIVE", created.GetProperty("status").GetString());
        var archived = await ExpectAsync(await PatchAsync(Client, $"/v1/records/{Id(created)}", new { status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal("ARCHIVED", archived.GetProperty("status").GetString());
        Assert.False(archived.GetProperty("payloadPartial").GetBoolean());
        await ExpectAsync(await Client.GetAsync($"/v1/records/{Id(created)}"), HttpStatusCode.OK);
        var listed = await ExpectAsync(await Client.GetAsync("/v1/records?type=note"), HttpStatusCode.OK);
        Assert.Equal(1, listed.GetProperty("data").GetArrayLength());

        var body = await ExpectAsync(await PatchAsync(Client, $"/v1/records/{Id(created)}", new { status = "DELETED" }), HttpStatusCode.BadRequest);
        Assert.Equal("status", body.GetProperty("details").GetProperty("field").GetString());
    }
}
