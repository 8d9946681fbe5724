using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// 0.40 composite lookups (API-DELTA §4): declared with <c>fieldNames</c>, queried with a comma-joined
/// <c>field</c> and <c>values</c> (repeated on GET, an array on POST); a leading run of values returns the matches
/// grouped by the remaining fields. The 0.31 single-field forms keep working beside them.
/// </summary>
public sealed class RecordCompositeLookupTests : RecordTestBase
{
    private static readonly object[] _ticketFields =
    [
        new { fieldId = "status", fieldType = "enum", enumValues = new[] { "open", "closed" } },
        new { fieldId = "area", fieldType = "string" },
        new { fieldId = "level", fieldType = "number" },
        new { fieldId = "title", fieldType = "string" },
        new { fieldId = "email", fieldType = "string" },
        new { fieldId = "tags", fieldType = "array" },
        new { fieldId = "ssn", fieldType = "string", sensitive = true },
    ];

    private Task<JsonElement> TicketSchemaAsync(params object[] lookupFields) => CreateSchemaAsync(new
    {
        typeName = "ticket",
        displayName = "Ticket",
        fields = _ticketFields,
        lookupFields,
    });

    private static string? ErrorField(JsonElement error) =>
        error.TryGetProperty("details", out var details) ? details.GetProperty("field").GetString() : null;

    private async Task<long> SchemaCountAsync() => await ScalarAsync("SELECT count(*) FROM schemas WHERE tenant_id = $1", Partner.TestTenantId);

    private async Task<List<JsonElement>> GetAsync(string query)
    {
        var page = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&" + query), HttpStatusCode.OK);
        return page.GetProperty("data").EnumerateArray().ToList();
    }

    private async Task<List<JsonElement>> PostAsync(object body)
    {
        var page = await ExpectAsync(await Client.PostAsJsonAsync("/v1/records/lookup", body), HttpStatusCode.OK);
        return page.GetProperty("data").EnumerateArray().ToList();
    }

    private Task<JsonElement> TicketAsync(string? status, string? area, object? level = null, string? title = null) =>
        CreateRecordAsync(new { typeName = "ticket", payload = Payload(status, area, level, title) });

    private static Dictionary<string, object> Payload(string? status, string? area, object? level = null, string? title = null)
    {
        var payload = new Dictionary<string, object>();
        if (status is not null)
        {
            payload["status"] = status;
        }

        if (area is not null)
        {
            payload["area"] = area;
        }

        if (level is not null)
        {
            payload["level"] = level;
        }

        if (title is not null)
        {
            payload["title"] = title;
        }

        return payload;
    }

    private static string? Area(JsonElement record) =>
        record.GetProperty("payload").TryGetProperty("area", out var area) ? area.GetString() : null;

    // ---------------------------------------------------------------- authoring

    [Fact]
    public async Task A_composite_is_declared_with_fieldNames_echoed_and_survives_a_get_edit_put_round_trip()
    {
        var created = await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } }, "email");
        var lookups = created.GetProperty("lookupFields").EnumerateArray().ToList();
        Assert.Equal(["status", "area"], lookups[0].GetProperty("fieldNames").EnumerateArray().Select(e => e.GetString()));
        Assert.False(lookups[0].TryGetProperty("fieldName", out _));
        Assert.False(lookups[0].GetProperty("unique").GetBoolean());
        Assert.False(lookups[0].GetProperty("rangeEnabled").GetBoolean());
        Assert.Equal("createdAt", lookups[0].GetProperty("sortBy").GetString());
        Assert.Equal("email", lookups[1].GetProperty("fieldName").GetString());
        Assert.False(lookups[1].TryGetProperty("fieldNames", out _));

        // GET, edit one property, PUT the whole thing back: the composite travels through unchanged.
        var id = created.GetProperty("id").GetString();
        var read = await ExpectAsync(await Client.GetAsync($"/v1/schemas/{id}"), HttpStatusCode.OK);
        var edited = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(read.GetRawText())!;
        edited["displayName"] = JsonSerializer.SerializeToElement("Tickets");
        foreach (var readOnly in new[] { "id", "schemaVersion", "createdAt", "updatedAt" })
        {
            edited.Remove(readOnly);
        }

        var put = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", edited), HttpStatusCode.OK);
        Assert.Equal("Tickets", put.GetProperty("displayName").GetString());
        Assert.Equal(2, put.GetProperty("schemaVersion").GetInt32());
        Assert.Equal(read.GetProperty("lookupFields").GetRawText(), put.GetProperty("lookupFields").GetRawText());

        // A PUT that drops fieldNames from the composite is refused: it would be a lookup without fields.
        var dropped = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", new { lookupFields = new object[] { new { sortBy = "createdAt" } } }), HttpStatusCode.BadRequest);
        Assert.Equal("lookupFields[0].fieldName", ErrorField(dropped));
    }

    [Theory]
    [InlineData("""{"fieldName": "status", "fieldNames": ["status", "area"]}""", "lookupFields[0].fieldNames")]
    [InlineData("""{"fieldNames": ["status"]}""", "lookupFields[0].fieldNames")]
    [InlineData("""{"fieldNames": []}""", "lookupFields[0].fieldNames")]
    [InlineData("""{"fieldNames": ["status", "area", "level", "title"]}""", "lookupFields[0].fieldNames")]
    [InlineData("""{"fieldNames": ["status", "nope"]}""", "lookupFields[0].fieldNames[1]")]
    [InlineData("""{"fieldNames": ["status", "status"]}""", "lookupFields[0].fieldNames[1]")]
    [InlineData("""{"fieldNames": ["status", "tags"]}""", "lookupFields[0].fieldNames[1]")]
    [InlineData("""{"fieldNames": ["ssn", "area"]}""", "lookupFields[0].fieldNames[0]")]
    [InlineData("""{"fieldNames": ["status", "area"], "unique": true}""", "lookupFields[0].unique")]
    [InlineData("""{"fieldNames": ["status", "area"], "rangeEnabled": true}""", "lookupFields[0].rangeEnabled")]
    [InlineData("""{"fieldNames": ["status", "area"], "sortBy": "colour"}""", "lookupFields[0].sortBy")]
    [InlineData("""{"fieldNames": "status,area"}""", "lookupFields[0].fieldNames")]
    [InlineData("""{"fieldNames": ["status", 3]}""", "lookupFields[0].fieldNames[1]")]
    public async Task A_bad_composite_is_400_naming_the_path_and_nothing_is_written(string lookup, string field)
    {
        var fields = JsonSerializer.Serialize(_ticketFields);
        var response = await Client.PostAsync("/v1/schemas", RawJson(
            $$"""{"typeName": "ticket", "displayName": "Ticket", "fields": {{fields}}, "lookupFields": [{{lookup}}]}"""));
        var error = await ExpectAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(field, ErrorField(error));
        Assert.Equal(0, await SchemaCountAsync());
    }

    [Fact]
    public async Task A_composite_needs_allowedSurfaces_to_be_exactly_record_and_may_not_repeat()
    {
        var response = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "ticket",
            displayName = "Ticket",
            allowedSurfaces = new[] { "record", "document" },
            fields = _ticketFields,
            lookupFields = new object[] { new { fieldNames = new[] { "status", "area" } } },
        });
        Assert.Equal("allowedSurfaces", ErrorField(await ExpectAsync(response, HttpStatusCode.BadRequest)));

        // The same ordered list twice is one lookup declared twice; the other order is a separate lookup.
        var twice = await Client.PostAsJsonAsync("/v1/schemas", new
        {
            typeName = "ticket",
            displayName = "Ticket",
            fields = _ticketFields,
            lookupFields = new object[] { new { fieldNames = new[] { "status", "area" } }, new { fieldNames = new[] { "status", "area" } } },
        });
        Assert.Equal("lookupFields[1].fieldNames", ErrorField(await ExpectAsync(twice, HttpStatusCode.BadRequest)));
        Assert.Equal(0, await SchemaCountAsync());

        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } }, new { fieldNames = new[] { "area", "status" } });
    }

    [Fact]
    public async Task Composites_take_exact_match_slots_from_the_budget_of_seven()
    {
        var names = Enumerable.Range(0, 9).Select(i => $"f{i}").ToArray();
        object Request(bool overflow) => new
        {
            typeName = overflow ? "roomy" : "tight",
            displayName = "Budget",
            fields = names.Select(n => new { fieldId = n, fieldType = "string" }),
            lookupFields = names.Take(6).Select(n => (object)n)
                .Append(new { fieldNames = new[] { "f6", "f7" } })
                .Append(new { fieldNames = new[] { "f7", "f8" }, allowOverflow = overflow }),
        };

        var over = await ExpectAsync(await Client.PostAsJsonAsync("/v1/schemas", Request(overflow: false)), HttpStatusCode.BadRequest);
        Assert.Equal("lookupFields[7].allowOverflow", ErrorField(over));
        await CreateSchemaAsync(Request(overflow: true));
    }

    [Fact]
    public async Task Reordering_makes_a_separate_index_that_covers_new_writes_only()
    {
        var schema = await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } });
        var id = schema.GetProperty("id").GetString();
        var before = Id(await TicketAsync("open", "billing"));

        // A new composite over other fields would miss the existing records, so it is locked while they exist...
        var locked = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", new
        {
            lookupFields = new object[] { new { fieldNames = new[] { "status", "area" } }, new { fieldNames = new[] { "status", "title" } } },
        }), HttpStatusCode.BadRequest);
        Assert.Equal("SCHEMA_CHANGE_LOCKED", locked.GetProperty("errorCode").GetString());
        Assert.Equal("lookupFields[1].fieldNames", ErrorField(locked));

        // ...but the same fields in another order are a separate lookup, declared for the writes from now on.
        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/schemas/{id}", new
        {
            lookupFields = new object[] { new { fieldNames = new[] { "area", "status" } } },
        }), HttpStatusCode.OK);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM record_lookups WHERE tenant_id = $1 AND field = 'status,area'", Partner.TestTenantId));
        var after = Id(await TicketAsync("open", "billing"));

        Assert.Equal([after], (await GetAsync("field=area,status&values=billing&values=open")).Select(Id));
        Assert.DoesNotContain(before, (await GetAsync("field=area,status&values=billing")).Select(Id));
        var gone = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&field=status,area&values=open&values=billing"), HttpStatusCode.BadRequest);
        Assert.Equal("field", ErrorField(gone));
    }

    // ---------------------------------------------------------------- record lookups

    [Fact]
    public async Task A_full_values_match_returns_exactly_the_matching_records_by_get_and_post()
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } }, "area");
        var hit1 = Id(await TicketAsync("open", "billing"));
        var hit2 = Id(await TicketAsync("open", "billing", title: "second"));
        await TicketAsync("open", "tech");
        await TicketAsync("closed", "billing");
        await TicketAsync("open", null);

        Assert.Equal([hit1, hit2], (await GetAsync("field=status,area&values=open&values=billing")).Select(Id));
        Assert.Equal([hit1, hit2], (await PostAsync(new { type = "ticket", field = "status,area", values = new[] { "open", "billing" } })).Select(Id));
        Assert.Equal([hit2, hit1], (await GetAsync("field=status,area&values=open&values=billing&order=desc")).Select(Id));
        Assert.Empty(await GetAsync("field=status,area&values=closed&values=tech"));

        // Values are matched per field: "open,billing" is one value, not two.
        Assert.Empty(await GetAsync("field=status,area&values=open%2Cbilling"));

        // The 0.31 single-field lookup on one of the fields still works, with value or a one-element values.
        var byValue = (await GetAsync("field=area&value=billing")).Select(Id).ToList();
        Assert.Equal(3, byValue.Count);
        Assert.Equal(byValue, (await GetAsync("field=area&values=billing")).Select(Id));
        Assert.Equal(byValue, (await PostAsync(new { type = "ticket", field = "area", values = new[] { "billing" } })).Select(Id));
    }

    [Fact]
    public async Task A_leading_run_returns_every_match_grouped_by_the_remaining_fields_page_by_page()
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } });
        var areas = new[] { "tech", "billing", null, "tech", "billing", "sales", "tech", null, "billing" };
        var open = new List<string>();
        foreach (var area in areas)
        {
            open.Add(Id(await TicketAsync("open", area)));
            await TicketAsync("closed", area);
        }

        var all = await GetAsync("field=status,area&values=open&limit=100");
        Assert.Equal(open.Order(StringComparer.Ordinal), all.Select(Id).Order(StringComparer.Ordinal));

        // Records sharing an area come out together, each group in creation order (the default sortBy).
        var sequence = all.Select(Area).ToList();
        var groups = sequence.Select((a, i) => (a, i)).GroupBy(x => x.a).ToList();
        Assert.Equal(4, groups.Count);
        Assert.All(groups, g => Assert.Equal(g.Count() - 1, g.Last().i - g.First().i));
        Assert.All(groups, g =>
        {
            var ids = g.Select(x => Id(all[x.i])).ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        });

        // A one-element values on a composite is the same leading run as value; POST gives the same order.
        Assert.Equal(all.Select(Id), (await GetAsync("field=status,area&value=open&limit=100")).Select(Id));
        Assert.Equal(all.Select(Id), (await PostAsync(new { type = "ticket", field = "status,area", values = new[] { "open" }, limit = 100 })).Select(Id));

        // Paging through the run keeps the order, without gaps or repeats, in both directions.
        foreach (var desc in new[] { false, true })
        {
            var paged = new List<string>();
            string? cursor = null;
            do
            {
                var page = await ExpectAsync(await Client.GetAsync(
                    $"/v1/records/lookup?type=ticket&field=status,area&values=open&limit=4{(desc ? "&order=desc" : "")}{(cursor is null ? "" : "&startFrom=" + Uri.EscapeDataString(cursor))}"),
                    HttpStatusCode.OK);
                paged.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
                cursor = page.GetProperty("nextCursor").GetString();
            }
            while (cursor is not null);

            Assert.Equal(desc ? all.Select(Id).Reverse() : all.Select(Id), paged);
        }
    }

    [Fact]
    public async Task Three_field_composites_match_every_leading_run_and_number_values_canonically()
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "level", "area" } });
        var a = Id(await TicketAsync("open", "tech", level: 2));
        var b = Id(await TicketAsync("open", "billing", level: 2.0));
        var c = Id(await TicketAsync("open", "tech", level: 3));
        await TicketAsync("closed", "tech", level: 2);

        Assert.Equal([a, b, c], (await GetAsync("field=status,level,area&values=open")).Select(Id).Order(StringComparer.Ordinal));
        Assert.Equal([a, b], (await GetAsync("field=status,level,area&values=open&values=2.00")).Select(Id).Order(StringComparer.Ordinal));
        Assert.Equal([a], (await GetAsync("field=status,level,area&values=open&values=2e0&values=tech")).Select(Id));

        // Only a leading run: a later field alone, or the fields in another order, is not this lookup.
        Assert.Equal("field", ErrorField(await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&field=level,area&values=2&values=tech"), HttpStatusCode.BadRequest)));
        Assert.Equal("field", ErrorField(await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&field=status,area,level&values=open"), HttpStatusCode.BadRequest)));
        Assert.Equal("values[1]", ErrorField(await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&field=status,level,area&values=open&values=two"), HttpStatusCode.BadRequest)));
    }

    [Theory]
    [InlineData("field=status,area&values=open&value=open", "values")]
    [InlineData("field=status,area&values=a&values=b&values=c", "values")]
    [InlineData("field=status,area&prefix=op", "prefix")]
    [InlineData("field=status,area&from=a&to=b", "from")]
    [InlineData("field=status,area", "value")]
    [InlineData("field=area&values=a&values=b", "values")]
    [InlineData("field=area&values=a&from=a&to=b", "value")]
    [InlineData("field=status&values=open", "field")]
    [InlineData("field=status,area,&values=open", "field")]
    public async Task Bad_composite_queries_are_400_naming_the_parameter(string query, string field)
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } }, "area");
        await TicketAsync("open", "billing");
        var error = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&" + query), HttpStatusCode.BadRequest);
        Assert.Equal(field, ErrorField(error));
    }

    [Fact]
    public async Task Bad_values_in_a_body_are_400()
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } });
        foreach (var (json, field) in new[]
                 {
                     ("""{"type":"ticket","field":"status,area","values":[]}""", "values"),
                     ("""{"type":"ticket","field":"status,area","values":["open",null]}""", "values[1]"),
                     ("""{"type":"ticket","field":"status,area","values":"open"}""", "$.values"),
                     ("""{"type":"ticket","field":"status,area","values":["open",3]}""", "$.values[1]"),
                     ("""{"type":"ticket","field":"status,area","values":["open"],"value":"open"}""", "values"),
                 })
        {
            var error = await ExpectAsync(await Client.PostAsync("/v1/records/lookup", RawJson(json)), HttpStatusCode.BadRequest);
            Assert.Equal(field, ErrorField(error));
        }
    }

    [Fact]
    public async Task Composite_rows_are_written_with_the_record_and_follow_updates_and_deletes()
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } }, new { fieldName = "email", unique = true });
        var id = Id(await CreateRecordAsync(new { typeName = "ticket", payload = new { status = "open", area = "billing", email = "a@x.test" } }));
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM record_lookups WHERE tenant_id = $1 AND field = 'status,area'", Partner.TestTenantId));

        // A write that fails (a unique clash in another lookup) leaves no composite rows behind: one batch.
        var before = await CountRowsAsync();
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/records", new { typeName = "ticket", payload = new { status = "open", area = "tech", email = "a@x.test" } }), HttpStatusCode.Conflict);
        Assert.Equal(before, await CountRowsAsync());
        Assert.Empty(await GetAsync("field=status,area&values=open&values=tech"));

        await ExpectAsync(await Client.PutAsJsonAsync($"/v1/records/{id}", new { payload = new { status = "open", area = "tech", email = "a@x.test" } }), HttpStatusCode.OK);
        Assert.Empty(await GetAsync("field=status,area&values=open&values=billing"));
        Assert.Equal([id], (await GetAsync("field=status,area&values=open&values=tech")).Select(Id));

        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new { payload = new { status = "closed" } }), HttpStatusCode.OK);
        Assert.Empty(await GetAsync("field=status,area&values=open"));
        Assert.Equal([id], (await GetAsync("field=status,area&values=closed&values=tech")).Select(Id));

        // Dropping the second field keeps the record in its leading run only.
        await ExpectAsync(await PatchAsync(Client, $"/v1/records/{id}", new Dictionary<string, object?> { ["payload"] = new Dictionary<string, object?> { ["area"] = null } }), HttpStatusCode.OK);
        Assert.Equal([id], (await GetAsync("field=status,area&values=closed")).Select(Id));
        Assert.Empty(await GetAsync("field=status,area&values=closed&values=tech"));

        await ExpectAsync(await Client.DeleteAsync($"/v1/records/{id}"), HttpStatusCode.NoContent);
        Assert.Empty(await GetAsync("field=status,area&values=closed"));
        Assert.Equal(0, (await CountRowsAsync()).Lookups);
    }

    [Fact]
    public async Task Upsert_adds_and_restates_a_composite_by_its_ordered_fields()
    {
        await TicketSchemaAsync("area");
        var upsert = new { typeName = "ticket", displayName = "Ticket", lookupFields = new object[] { new { fieldNames = new[] { "status", "area" } } } };
        var added = await ExpectAsync(await Client.PostAsJsonAsync("/v1/schemas?upsert=true", upsert), HttpStatusCode.OK);
        Assert.Equal(2, added.GetProperty("schemaVersion").GetInt32());
        var lookups = added.GetProperty("lookupFields").EnumerateArray().ToList();
        Assert.Equal("area", lookups[0].GetProperty("fieldName").GetString());
        Assert.Equal(["status", "area"], lookups[1].GetProperty("fieldNames").EnumerateArray().Select(e => e.GetString()));

        // Restating it changes nothing; a record written now is found through it.
        var again = await ExpectAsync(await Client.PostAsJsonAsync("/v1/schemas?upsert=true", upsert), HttpStatusCode.OK);
        Assert.Equal(2, again.GetProperty("schemaVersion").GetInt32());
        var id = Id(await TicketAsync("open", "billing"));
        Assert.Equal([id], (await GetAsync("field=status,area&values=open&values=billing")).Select(Id));
    }

    [Fact]
    public async Task Values_on_a_sensitive_single_field_stay_out_of_urls()
    {
        await TicketSchemaAsync(new { fieldNames = new[] { "status", "area" } }, "ssn");
        var id = Id(await CreateRecordAsync(new { typeName = "ticket", payload = new { status = "open", ssn = "123-45-6789" } }));
        var get = await ExpectAsync(await Client.GetAsync("/v1/records/lookup?type=ticket&field=ssn&values=123-45-6789"), HttpStatusCode.BadRequest);
        Assert.DoesNotContain("123-45-6789", get.GetRawText());
        Assert.Equal([id], (await PostAsync(new { type = "ticket", field = "ssn", values = new[] { "123-45-6789" } })).Select(Id));
    }
}
