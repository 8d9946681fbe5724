using System.Net;
using System.Text;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #8 item 9 for search: every malformed request is a 400 naming the problem, and nothing is written.</summary>
public sealed class SearchBadInputTests : SearchTestBase
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { """{}""", "query" },
        { """{"query": ""}""", "query" },
        { """{"query": "   "}""", "query" },
        { """{"query": null}""", "query" },
        { """{"query": 5}""", "query" },
        { """{"query": "x", "limit": 0}""", "limit" },
        { """{"query": "x", "limit": 101}""", "limit" },
        { """{"query": "x", "limit": -3}""", "limit" },
        { """{"query": "x", "limit": "ten"}""", "limit" },
        { """{"query": "x", "limit": 2.5}""", "limit" },
        { """{"query": "x", "offset": 201}""", "offset" },
        { """{"query": "x", "offset": -1}""", "offset" },
        { """{"query": "x", "mode": "FUZZY"}""", "mode" },
        { """{"query": "x", "mode": "hybrid"}""", "mode" },
        { """{"query": "x", "textMode": "NEAR"}""", "textMode" },
        { """{"query": "x", "slop": -1}""", "slop" },
        { """{"query": "x", "slop": 11}""", "slop" },
        { """{"query": "x", "minSimilarity": -0.1}""", "minSimilarity" },
        { """{"query": "x", "minSimilarity": 1.5}""", "minSimilarity" },
        { """{"query": "x", "minTextRelevance": 2}""", "minTextRelevance" },
        { """{"query": "x", "uniqueDocuments": "yes"}""", "uniqueDocuments" },
        { """{"query": "x", "requireComplete": 1}""", "requireComplete" },
        { """{"query": "x", "contentTypes": "documents"}""", "contentTypes" },
        { """{"query": "x", "contentTypes": ["documents", "pdfs"]}""", "contentTypes" },
        { """{"query": "x", "filters": []}""", "filters" },
        { """{"query": "x", "filters": {"colour": {"$where": "1"}}}""", "filters.colour.$where" },
        { """{"query": "x", "unknownField": true}""", "unknownField" },
        { """{"query": "x", "orgId": "not-a-uuid"}""", "orgId" },
        { """{"query": "x", "clientId": 7}""", "clientId" },
        { """{"query": "\ud800 lone surrogate"}""", "query" },
        { """{"query": "nul \u0000 inside"}""", "query" },
        { """{"query": "x", "filters": {"externalId": "a\u0000b"}}""", "filters.externalId" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Malformed_requests_are_400_naming_the_field(string body, string field)
    {
        var before = await CountRowsAsync();
        var response = await Client.PostAsync("/v1/search", RawJson(body));
        var error = await JsonAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {response.StatusCode} {error}");
        var named = error.TryGetProperty("details", out var details) && details.TryGetProperty("field", out var f) ? f.GetString() ?? "" : "";
        Assert.True(named.Contains(field, StringComparison.Ordinal) || error.GetProperty("message").GetString()!.Contains(field, StringComparison.Ordinal),
            $"{body}: expected '{field}' to be named: {error}");
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task A_100_kb_query_is_refused_as_too_long_and_2000_characters_are_fine()
    {
        var body = await ExpectBadRequestAsync(new { query = new string('a', 100 * 1024) }, "query");
        Assert.Contains("2000", body.GetProperty("message").GetString());
        await ExpectBadRequestAsync(new { query = new string('b', 2001) }, "query");

        // The longest query, with the most terms the phrase builder can be handed at the largest slop.
        var words = string.Join(' ', Enumerable.Range(0, 600).Select(i => $"w{i}"))[..2000];
        Assert.Equal(HttpStatusCode.OK, (await TrySearchAsync(new { query = words, mode = "HYBRID", textMode = "PHRASE", slop = 10 })).Status);
        var complex = string.Join(" & ", Enumerable.Range(0, 400).Select(i => $"w{i}"));
        complex = complex[..complex.LastIndexOf(" & ", 2000, StringComparison.Ordinal)];
        Assert.Equal(HttpStatusCode.OK, (await TrySearchAsync(new { query = complex, mode = "TEXT", textMode = "COMPLEX" })).Status);
    }

    [Fact]
    public async Task Bodies_that_are_not_json_objects_are_refused()
    {
        foreach (var raw in new[] { "", "not json", "[1,2]", "{\"query\": \"x\",}", "{\"query\": \"x\" /* c */}" })
        {
            var response = await Client.PostAsync("/v1/search", RawJson(raw));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{raw}: {response.StatusCode}");
        }

        var text = await Client.PostAsync("/v1/search", new StringContent("""{"query": "x"}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);

        var invalidUtf8 = new ByteArrayContent([.. "{\"query\": \""u8.ToArray(), 0xC3, 0x28, .. "\"}"u8.ToArray()]);
        invalidUtf8.Headers.ContentType = new("application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await Client.PostAsync("/v1/search", invalidUtf8)).StatusCode);
    }

    [Fact]
    public async Task Search_requires_a_credential()
    {
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/v1/search", RawJson("""{"query": "x"}"""))).StatusCode);
    }

    /// <summary>Rows search could conceivably touch: the index, the filter-key registry, the outbox and events.</summary>
    private async Task<(long, long, long, long)> CountRowsAsync()
    {
        async Task<long> Count(string table)
        {
            await using var cmd = Db.CreateCommand($"SELECT count(*) FROM {table} WHERE tenant_id = $1");
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Partner.TestTenantId });
            return (long)(await cmd.ExecuteScalarAsync())!;
        }

        return (await Count("chunks"), await Count("search_filter_fields"), await Count("outbox"), await Count("events"));
    }
}
