using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// 0.40 <c>sortFrom</c>/<c>sortTo</c> (API-DELTA §4): inclusive bounds on an exact match's sort key (the lookup's
/// <c>sortBy</c>: epoch ms for createdAt/lastUpdated, else the field's own units), either alone or both; records
/// without the key sort first and are never inside a window. Also the built-in <c>field=externalId</c>.
/// </summary>
public sealed class RecordLookupWindowTests : RecordTestBase
{
    private Task EventSchemaAsync() => CreateSchemaAsync(new
    {
        typeName = "event",
        displayName = "Event",
        fields = new object[]
        {
            new { fieldId = "session", fieldType = "string" },
            new { fieldId = "kind", fieldType = "string" },
            new { fieldId = "seq", fieldType = "number" },
            new { fieldId = "code", fieldType = "string" },
            new { fieldId = "label", fieldType = "string" },
            new { fieldId = "grp", fieldType = "string" },
            new { fieldId = "day", fieldType = "date" },
            new { fieldId = "hidden", fieldType = "string" },
            new { fieldId = "secret", fieldType = "string", sensitive = true },
            new { fieldId = "ov", fieldType = "string" },
        },
        lookupFields = new object[]
        {
            "session",
            new { fieldName = "kind", sortBy = "seq" },
            new { fieldName = "code", sortBy = "label" },
            new { fieldName = "label", sortBy = "lastUpdated" },
            new { fieldName = "grp", sortBy = "day" },
            new { fieldName = "hidden", sortBy = "secret" },
            new { fieldNames = new[] { "session", "kind" }, sortBy = "seq" },
            new { fieldName = "seq", rangeEnabled = true },
            new { fieldName = "ov", allowOverflow = true },
        },
    });

    private Task<JsonElement> EventAsync(object payload, string? externalId = null) =>
        CreateRecordAsync(new { typeName = "event", payload, externalId });

    private async Task<List<JsonElement>> GetAsync(string query)
    {
        var page = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=event&" + query), HttpStatusCode.OK);
        return page.GetProperty("data").EnumerateArray().ToList();
    }

    private static long Millis(JsonElement record, string name = "createdAt") =>
        DateTimeOffset.Parse(record.GetProperty(name).GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private static string? ErrorField(JsonElement error) =>
        error.TryGetProperty("details", out var details) ? details.GetProperty("field").GetString() : null;

    private static List<double?> Seqs(IEnumerable<JsonElement> records) =>
        records.Select(r => r.GetProperty("payload").TryGetProperty("seq", out var s) ? s.GetDouble() : (double?)null).ToList();

    [Fact]
    public async Task A_default_lookup_is_windowed_by_creation_time_in_epoch_milliseconds()
    {
        await EventSchemaAsync();
        var records = new List<JsonElement>();
        for (var i = 0; i < 6; i++)
        {
            records.Add(await EventAsync(new { session = "s1" }));

            // Distinct milliseconds make the expected windows below non-trivial; nothing asserts on time itself.
            await Task.Delay(3);
        }

        await EventAsync(new { session = "s2" });
        var (from, to) = (Millis(records[1]), Millis(records[4]));
        List<string> Expected(Func<long, bool> inside) => [.. records.Where(r => inside(Millis(r))).Select(Id)];

        Assert.Equal(records.Select(Id), (await GetAsync("field=session&value=s1")).Select(Id));
        Assert.Equal(Expected(ms => ms >= from && ms <= to), (await GetAsync($"field=session&value=s1&sortFrom={from}&sortTo={to}")).Select(Id));
        Assert.Equal(Expected(ms => ms >= from), (await GetAsync($"field=session&value=s1&sortFrom={from}")).Select(Id));
        Assert.Equal(Expected(ms => ms <= to), (await GetAsync($"field=session&value=s1&sortTo={to}")).Select(Id));
        Assert.Equal(Expected(ms => ms >= from && ms <= to).AsEnumerable().Reverse(),
            (await GetAsync($"field=session&value=s1&sortFrom={from}&sortTo={to}&order=desc")).Select(Id));
        Assert.Contains(Id(records[1]), Expected(ms => ms >= from && ms <= to));

        // The body takes the bounds as strings, as clients send them (a JSON number is accepted too).
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup",
            new { type = "event", field = "session", values = new[] { "s1" }, sortFrom = from.ToString(CultureInfo.InvariantCulture), sortTo = to }), HttpStatusCode.OK);
        Assert.Equal(Expected(ms => ms >= from && ms <= to), body.GetProperty("data").EnumerateArray().Select(Id));

        // A window pages like any lookup: keep every other parameter and echo the cursor.
        var paged = new List<string>();
        string? cursor = null;
        do
        {
            var page = await ExpectAsync(await Client.GetAsync(
                $"/v1/records/lookup?type=event&field=session&value=s1&sortFrom={from}&sortTo={to}&limit=1{(cursor is null ? "" : "&startFrom=" + Uri.EscapeDataString(cursor))}"), HttpStatusCode.OK);
            paged.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Expected(ms => ms >= from && ms <= to), paged);
    }

    [Fact]
    public async Task A_number_sort_key_orders_the_match_and_windows_it_in_its_own_units()
    {
        await EventSchemaAsync();
        foreach (var seq in new object?[] { 5, 1, 3, null, 4, 2.5, 2 })
        {
            await EventAsync(seq is null ? new { kind = "k" } : new { kind = "k", seq });
        }

        await EventAsync(new { kind = "other", seq = 3 });

        // Records without the key come first; the rest in key order.
        Assert.Equal([null, 1, 2, 2.5, 3, 4, 5], Seqs(await GetAsync("field=kind&value=k")));
        Assert.Equal([5, 4, 3, 2.5, 2, 1, null], Seqs(await GetAsync("field=kind&value=k&order=desc")));
        Assert.Equal([2, 2.5, 3, 4], Seqs(await GetAsync("field=kind&value=k&sortFrom=2&sortTo=4")));
        Assert.Equal([4, 3, 2.5, 2], Seqs(await GetAsync("field=kind&value=k&sortFrom=2.0&sortTo=4e0&order=desc")));
        Assert.Equal([4, 5], Seqs(await GetAsync("field=kind&value=k&sortFrom=4")));

        // Only sortTo still leaves out the record without a key, although it sorts first.
        Assert.Equal([1, 2], Seqs(await GetAsync("field=kind&value=k&sortTo=2.4")));
        Assert.Empty(await GetAsync("field=kind&value=k&sortFrom=3.1&sortTo=3.9"));
        Assert.Equal("sortFrom", ErrorField(await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=event&field=kind&value=k&sortFrom=abc"), HttpStatusCode.BadRequest)));
    }

    [Fact]
    public async Task Text_and_date_sort_keys_window_in_their_own_units()
    {
        await EventSchemaAsync();
        foreach (var label in new[] { "b", "a", null, "d" })
        {
            await EventAsync(label is null ? new { code = "c" } : new { code = "c", label });
        }

        List<string?> Labels(IEnumerable<JsonElement> records) =>
            [.. records.Select(r => r.GetProperty("payload").TryGetProperty("label", out var l) ? l.GetString() : null)];
        Assert.Equal([null, "a", "b", "d"], Labels(await GetAsync("field=code&value=c")));
        Assert.Equal(["a", "b"], Labels(await GetAsync("field=code&value=c&sortFrom=a&sortTo=b")));
        Assert.Equal(["b", "d"], Labels(await GetAsync("field=code&value=c&sortFrom=az")));

        foreach (var day in new[] { "2024-03-01T10:00:00Z", "2024-01-15", "2023-12-31" })
        {
            await EventAsync(new { grp = "g", day });
        }

        List<string?> Days(IEnumerable<JsonElement> records) => [.. records.Select(r => r.GetProperty("payload").GetProperty("day").GetString())];
        Assert.Equal(["2023-12-31", "2024-01-15", "2024-03-01T10:00:00Z"], Days(await GetAsync("field=grp&value=g")));

        // A date key takes ISO-8601 or epoch milliseconds (1709251200000 = 2024-03-01T00:00:00Z).
        Assert.Equal(["2024-01-15"], Days(await GetAsync("field=grp&value=g&sortFrom=2024-01-01&sortTo=1709251200000")));
        Assert.Equal(["2024-01-15", "2024-03-01T10:00:00Z"], Days(await GetAsync("field=grp&value=g&sortFrom=2024-01-15T00:00:00Z")));
    }

    [Fact]
    public async Task A_last_updated_key_moves_with_every_write_including_ones_that_keep_the_payload()
    {
        await EventSchemaAsync();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(Id(await EventAsync(new { label = "L", seq = i })));
            await Task.Delay(3);
        }

        Assert.Equal(ids, (await GetAsync("field=label&value=L")).Select(Id));
        var first = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{ids[0]}", new { payload = new { label = "L", seq = 10 } }), HttpStatusCode.OK);
        Assert.Equal([ids[1], ids[2], ids[0]], (await GetAsync("field=label&value=L")).Select(Id));

        // A status-only write keeps the lookup rows, yet the record is now the last updated.
        await Task.Delay(3);
        var second = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{ids[1]}", new { status = "ARCHIVED" }), HttpStatusCode.OK);
        Assert.Equal([ids[2], ids[0], ids[1]], (await GetAsync("field=label&value=L")).Select(Id));

        var since = Millis(first, "updatedAt");
        Assert.Equal([ids[0], ids[1]], (await GetAsync($"field=label&value=L&sortFrom={since}")).Select(Id));
        Assert.Equal([ids[1]], (await GetAsync($"field=label&value=L&sortFrom={Millis(second, "updatedAt")}")).Select(Id));
    }

    [Fact]
    public async Task A_complete_composite_match_can_be_windowed_but_a_leading_run_cannot()
    {
        await EventSchemaAsync();
        foreach (var seq in new[] { 3, 1, 2, 4 })
        {
            await EventAsync(new { session = "s1", kind = "k", seq });
        }

        await EventAsync(new { session = "s1", kind = "j", seq = 2 });
        Assert.Equal([2, 3], Seqs(await GetAsync("field=session,kind&values=s1&values=k&sortFrom=2&sortTo=3")));
        var post = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup",
            new { type = "event", field = "session,kind", values = new[] { "s1", "k" }, sortTo = "1" }), HttpStatusCode.OK);
        Assert.Equal([1], Seqs(post.GetProperty("data").EnumerateArray()));

        var run = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=event&field=session,kind&values=s1&sortFrom=2"), HttpStatusCode.BadRequest);
        Assert.Equal("sortFrom", ErrorField(run));
    }

    [Theory]
    [InlineData("field=seq&value=1&sortFrom=1", "sortFrom")]
    [InlineData("field=ov&value=x&sortFrom=1", "sortFrom")]
    [InlineData("field=hidden&value=x&sortTo=1", "sortTo")]
    [InlineData("field=session&value=s1&sortFrom=20&sortTo=10", "sortFrom")]
    [InlineData("field=kind&value=k&sortFrom=5&sortTo=4.5", "sortFrom")]
    [InlineData("field=code&value=c&sortFrom=b&sortTo=a", "sortFrom")]
    [InlineData("field=session&value=s1&sortFrom=yesterday", "sortFrom")]
    [InlineData("field=seq&from=1&to=2&sortFrom=1", "sortFrom")]
    [InlineData("field=label&prefix=a&sortTo=1", "sortTo")]
    [InlineData("field=kind&value=k&sortTo=1e400", "sortTo")]
    [InlineData("field=userId&value=00000000-0000-0000-0000-000000000001&sortFrom=1", "sortFrom")]
    public async Task Windows_that_cannot_apply_are_400_naming_the_parameter(string query, string field)
    {
        await EventSchemaAsync();
        await EventAsync(new { session = "s1", kind = "k", seq = 1 });
        var error = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=event&" + query), HttpStatusCode.BadRequest);
        Assert.Equal(field, ErrorField(error));
    }

    [Fact]
    public async Task ExternalId_is_a_built_in_exact_lookup_ordered_and_windowed_by_creation_time()
    {
        await EventSchemaAsync();
        var record = await EventAsync(new { session = "s1" }, externalId: "ev-1");
        await EventAsync(new { session = "s1" }, externalId: "ev-2");
        var at = Millis(record);

        Assert.Equal([Id(record)], (await GetAsync("field=externalId&value=ev-1")).Select(Id));
        Assert.Equal([Id(record)], (await GetAsync("field=externalId&values=ev-1")).Select(Id));
        Assert.Equal([Id(record)], (await GetAsync($"field=externalId&value=ev-1&sortFrom={at}&sortTo={at}")).Select(Id));
        Assert.Empty(await GetAsync($"field=externalId&value=ev-1&sortFrom={at + 1}"));
        Assert.Empty(await GetAsync($"field=externalId&value=ev-1&sortTo={at - 1}"));
        var body = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup",
            new { type = "event", field = "externalId", values = new[] { "ev-1" }, sortFrom = at.ToString(CultureInfo.InvariantCulture) }), HttpStatusCode.OK);
        Assert.Equal([Id(record)], body.GetProperty("data").EnumerateArray().Select(Id));

        foreach (var (query, field) in new[]
                 {
                     ("field=externalId&prefix=ev", "prefix"),
                     ("field=externalId&from=a&to=z", "from"),
                     ("field=externalId&values=ev-1&values=ev-2", "values"),
                     ("field=externalId&value=ev-1&sortFrom=2&sortTo=1", "sortFrom"),
                 })
        {
            Assert.Equal(field, ErrorField(await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=event&" + query), HttpStatusCode.BadRequest)));
        }
    }
}
