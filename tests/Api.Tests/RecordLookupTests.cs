using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

public sealed class RecordLookupTests : RecordTestBase
{
    private const string Secret = "123-45-6789";

    private Task PersonSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "person",
        displayName = "Person",
        fields = new object[]
        {
            new { fieldId = "email", fieldType = "string" },
            new { fieldId = "ssn", fieldType = "string", sensitive = true },
            new { fieldId = "age", fieldType = "number" },
            new { fieldId = "name", fieldType = "string" },
            new { fieldId = "dept", fieldType = "string" },
            new { fieldId = "born", fieldType = "date" },
        },
        lookupFields = new object[]
        {
            new { fieldName = "email", unique = true },
            new { fieldName = "ssn", unique = true },
            new { fieldName = "age", rangeEnabled = true },
            new { fieldName = "name", rangeEnabled = true },
            "dept",
            new { fieldName = "born", rangeEnabled = true },
        },
    });

    private async Task<List<JsonElement>> GetLookupAsync(string query)
    {
        var page = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=person&" + query), HttpStatusCode.OK);
        return page.GetProperty("data").EnumerateArray().ToList();
    }

    private static List<T> Payloads<T>(IEnumerable<JsonElement> records, string field) =>
        records.Select(r => r.GetProperty("payload").GetProperty(field).Deserialize<T>()!).ToList();

    [Fact]
    public async Task Exact_lookup_on_a_unique_field_finds_the_record_by_get_and_post()
    {
        await PersonSchemaAsync();
        var ann = await CreateRecordAsync(new { typeName = "person", payload = new { email = "ann@x.test", name = "Ann" } });
        await CreateRecordAsync(new { typeName = "person", payload = new { email = "bob@x.test", name = "Bob" } });

        var found = await GetLookupAsync("field=email&value=ann%40x.test");
        Assert.Equal(Id(ann), Id(Assert.Single(found)));

        var post = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "email", value = "ann@x.test" }), HttpStatusCode.OK);
        Assert.Equal(Id(ann), Id(Assert.Single(post.GetProperty("data").EnumerateArray())));
        Assert.Equal(JsonValueKind.Null, post.GetProperty("nextCursor").ValueKind);
        Assert.Empty(await GetLookupAsync("field=email&value=nobody%40x.test"));
    }

    [Fact]
    public async Task Unique_values_are_enforced_on_create_and_update_and_nothing_is_written()
    {
        await PersonSchemaAsync();
        await CreateRecordAsync(new { typeName = "person", payload = new { email = "ann@x.test" } });
        var bob = Id(await CreateRecordAsync(new { typeName = "person", payload = new { email = "bob@x.test" } }));
        var before = await CountRowsAsync();

        var duplicate = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "person", payload = new { email = "ann@x.test" } }), HttpStatusCode.Conflict);
        Assert.Equal("UNIQUE_VIOLATION", duplicate.GetProperty("errorCode").GetString());
        Assert.Contains("email", duplicate.GetProperty("message").GetString());
        Assert.DoesNotContain("ann@x.test", duplicate.GetRawText());

        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{bob}", new { payload = new { email = "ann@x.test" } }), HttpStatusCode.Conflict);
        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal(1, (await JsonAsync(await Client.GetAsync($"/v1/records/{bob}"))).GetProperty("version").GetInt64());

        // Keeping one's own value is fine, and a freed value can be taken.
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{bob}", new { payload = new { email = "bob@x.test", name = "Bob" } }), HttpStatusCode.OK);
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{bob}", new { payload = new { email = "robert@x.test" } }), HttpStatusCode.OK);
        await CreateRecordAsync(new { typeName = "person", payload = new { email = "bob@x.test" } });
        Assert.Single(await GetLookupAsync("field=email&value=robert%40x.test"));
    }

    [Fact]
    public async Task Repeating_a_create_with_unique_values_is_still_idempotent_by_external_id()
    {
        await PersonSchemaAsync();
        var request = new { typeName = "person", externalId = "p-1", payload = new { email = "ann@x.test", ssn = Secret } };
        var first = await CreateRecordAsync(request);
        var again = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", request), HttpStatusCode.OK);
        Assert.Equal(Id(first), Id(again));
        var upsert = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records?upsert=true",
            new { typeName = "person", externalId = "p-1", payload = new { email = "ann@x.test", ssn = Secret, name = "Ann" } }), HttpStatusCode.OK);
        Assert.Equal(2, upsert.GetProperty("version").GetInt64());
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records",
            new { typeName = "person", externalId = "p-2", payload = new { email = "ann@x.test" } }), HttpStatusCode.Conflict);
        Assert.Equal(1, (await CountRowsAsync()).Records);
    }

    [Fact]
    public async Task Unique_values_hold_under_concurrent_writers()
    {
        await PersonSchemaAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Client.PostAsJsonAsync("/v1/records", new { typeName = "person", payload = new { email = "race@x.test", name = $"n{i}" } })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, (await CountRowsAsync()).Records);
        Assert.Single(await GetLookupAsync("field=email&value=race%40x.test"));
    }

    [Fact]
    public async Task Non_unique_lookups_enumerate_every_match_page_by_page()
    {
        await PersonSchemaAsync();
        var ids = new List<string>();
        for (var i = 0; i < 25; i++)
        {
            ids.Add(Id(await CreateRecordAsync(new { typeName = "person", payload = new { dept = "eng", name = $"e{i}" } })));
        }

        await CreateRecordAsync(new { typeName = "person", payload = new { dept = "ops" } });
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await ExpectAsync(await Client.GetAsync(
                $"/v1/records/lookup?type=person&field=dept&value=eng&limit=10{(cursor is null ? "" : "&startFrom=" + Uri.EscapeDataString(cursor))}"), HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        // Exact matches come in record id order (UUIDv7: creation order, to the millisecond).
        var ordered = ids.Order(StringComparer.Ordinal).ToList();
        Assert.Equal(3, pages);
        Assert.Equal(ordered, seen);

        var desc = await GetLookupAsync("field=dept&value=eng&order=desc&limit=3");
        Assert.Equal(ordered.AsEnumerable().Reverse().Take(3), desc.Select(Id));

        // The POST body pages the same way.
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "dept", value = "eng", limit = 20 }), HttpStatusCode.OK);
        var next = body.GetProperty("nextCursor").GetString();
        var rest = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "dept", value = "eng", limit = 20, startFrom = next }), HttpStatusCode.OK);
        Assert.Equal(5, rest.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Range_lookups_are_inclusive_ordered_and_paged()
    {
        await PersonSchemaAsync();
        foreach (var age in new[] { 7, 3, 10, 5, 1, 6, 4, 2, 9, 8 })
        {
            await CreateRecordAsync(new { typeName = "person", payload = new { age } });
        }

        Assert.Equal([3, 4, 5, 6], Payloads<int>(await GetLookupAsync("field=age&from=3&to=6"), "age"));
        Assert.Equal([6, 5, 4, 3], Payloads<int>(await GetLookupAsync("field=age&from=3&to=6&order=desc"), "age"));
        Assert.Equal([30.0 / 10], Payloads<double>(await GetLookupAsync("field=age&value=3.0"), "age"));

        var first = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=person&field=age&from=2&to=9&limit=3"), HttpStatusCode.OK);
        var ages = Payloads<int>(first.GetProperty("data").EnumerateArray(), "age");
        var cursor = first.GetProperty("nextCursor").GetString();
        while (cursor is not null)
        {
            var page = await ExpectAsync(await Client.GetAsync($"/v1/records/lookup?type=person&field=age&from=2&to=9&limit=3&startFrom={Uri.EscapeDataString(cursor)}"), HttpStatusCode.OK);
            ages.AddRange(Payloads<int>(page.GetProperty("data").EnumerateArray(), "age"));
            cursor = page.GetProperty("nextCursor").GetString();
        }

        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9], ages);
        await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=person&field=age&from=a&to=9"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Range_and_prefix_lookups_on_strings_and_dates()
    {
        await PersonSchemaAsync();
        foreach (var (name, born) in new[] { ("alice", "2024-03-01"), ("albert", "2024-01-15"), ("bob", "2023-12-31"), ("alfred", "2024-02-29"), ("Alan", "2025-01-01") })
        {
            await CreateRecordAsync(new { typeName = "person", payload = new { name, born } });
        }

        Assert.Equal(["albert", "alfred", "alice"], Payloads<string>(await GetLookupAsync("field=name&prefix=al"), "name"));
        Assert.Equal(["alice", "alfred", "albert"], Payloads<string>(await GetLookupAsync("field=name&prefix=al&order=desc"), "name"));
        Assert.Equal(["alfred", "alice", "bob"], Payloads<string>(await GetLookupAsync("field=name&from=alf&to=bob"), "name"));
        Assert.Equal(["albert", "alfred", "alice"],
            Payloads<string>(await GetLookupAsync("field=born&from=2024-01-01&to=2024-12-31"), "name"));
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "name", prefix = "al", limit = 2 }), HttpStatusCode.OK);
        Assert.Equal(2, body.GetProperty("data").GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, body.GetProperty("nextCursor").ValueKind);
    }

    [Theory]
    [InlineData("field=email&value=a&prefix=a")]
    [InlineData("field=email&value=a&from=a&to=b")]
    [InlineData("field=age&from=1")]
    [InlineData("field=age&to=1")]
    [InlineData("field=email")]
    [InlineData("field=dept&from=a&to=b")]
    [InlineData("field=dept&prefix=a")]
    [InlineData("field=age&prefix=1")]
    [InlineData("field=nope&value=1")]
    [InlineData("field=email&value=a&order=up")]
    [InlineData("field=email&value=a&limit=0")]
    [InlineData("field=email&value=a&startFrom=garbage")]
    [InlineData("field=userId&value=not-a-uuid")]
    [InlineData("field=userId&prefix=a")]
    public async Task Bad_lookups_are_400(string query)
    {
        await PersonSchemaAsync();
        await CreateRecordAsync(new { typeName = "person", payload = new { email = "a", age = 1, dept = "a" } });
        await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=person&" + query), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Type_and_field_are_required_and_the_type_needs_a_schema()
    {
        await ExpectAsync(await Client.GetAsync("/v1/records/lookup?field=email&value=a"), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=person&value=a"), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ghost&field=email&value=a"), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=no%23pe&field=email&value=a"), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { field = "email", value = "a" }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "email", value = "a", extra = 1 }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "email", value = 5 }), HttpStatusCode.BadRequest);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "email", value = "a", limit = 101 }), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sensitive_fields_are_looked_up_only_through_the_body_by_blind_index()
    {
        await PersonSchemaAsync();
        var ann = await CreateRecordAsync(new { typeName = "person", payload = new { ssn = Secret, name = "Ann" } });

        var get = await Client.GetAsync($"/v1/records/lookup?type=person&field=ssn&value={Secret}");
        var error = await ExpectAsync(get, HttpStatusCode.BadRequest);
        Assert.Contains("POST /v1/records/lookup", error.GetProperty("message").GetString());
        Assert.DoesNotContain(Secret, error.GetRawText());

        var post = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", new { type = "person", field = "ssn", value = Secret }), HttpStatusCode.OK);
        var match = Assert.Single(post.GetProperty("data").EnumerateArray());
        Assert.Equal(Id(ann), Id(match));
        Assert.Equal("[redacted]", match.GetProperty("payload").GetProperty("ssn").GetString());

        foreach (var body in new object[]
                 {
                     new { type = "person", field = "ssn", prefix = "123" },
                     new { type = "person", field = "ssn", from = "1", to = "2" },
                 })
        {
            var refused = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", body), HttpStatusCode.BadRequest);
            Assert.Contains("sensitive", refused.GetProperty("message").GetString());
        }

        // Unique on the blind index too.
        var duplicate = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "person", payload = new { ssn = Secret } }), HttpStatusCode.Conflict);
        Assert.DoesNotContain(Secret, duplicate.GetRawText());
    }

    [Fact]
    public async Task Ownership_and_external_id_lookups_work_without_being_declared()
    {
        await PersonSchemaAsync();
        var (user, org, client) = (Guid.NewGuid(), await CreateOrgAsync(), await CreateClientAsync());
        var owned = await CreateRecordAsync(new { typeName = "person", userId = user, orgId = org, clientId = client, externalId = "p-7" });
        await CreateRecordAsync(new { typeName = "person", userId = Guid.NewGuid() });
        await CreateRecordAsync(new { typeName = "person", userId = user });

        Assert.Equal(2, (await GetLookupAsync($"field=userId&value={user}")).Count);
        Assert.Equal(Id(owned), Id(Assert.Single(await GetLookupAsync($"field=orgId&value={org}"))));
        Assert.Equal(Id(owned), Id(Assert.Single(await GetLookupAsync($"field=clientId&value={client}"))));
        Assert.Equal(Id(owned), Id(Assert.Single(await GetLookupAsync("field=externalId&value=p-7"))));
        Assert.Empty(await GetLookupAsync($"field=userId&value={Guid.NewGuid()}"));
    }

    [Fact]
    public async Task Lookup_rows_follow_updates_and_deletes()
    {
        await PersonSchemaAsync();
        var id = Id(await CreateRecordAsync(new { typeName = "person", payload = new { email = "old@x.test", dept = "a" } }));
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { email = "new@x.test", dept = "b" } }), HttpStatusCode.OK);
        Assert.Empty(await GetLookupAsync("field=email&value=old%40x.test"));
        Assert.Single(await GetLookupAsync("field=email&value=new%40x.test"));
        Assert.Single(await GetLookupAsync("field=dept&value=b"));

        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NoContent);
        Assert.Empty(await GetLookupAsync("field=email&value=new%40x.test"));
        Assert.Equal(0, (await CountRowsAsync()).Lookups);
    }
}
