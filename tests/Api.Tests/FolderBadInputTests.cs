using System.Net;
using System.Net.Http.Json;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Issue #3 item 9 for folders: bad input is a 400 naming the field, and nothing is written (no folder row, no version row).</summary>
public sealed class FolderBadInputTests : FolderTestBase
{
    public static TheoryData<string, string?> BadCreates => new()
    {
        { """{"description":"no name"}""", "name" },
        { """{"name":""}""", "name" },
        { """{"name":"   "}""", "name" },
        { """{"name":null}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}"}""", "name" },
        { $$"""{"name":"ok","description":"{{new string('d', 2001)}}"}""", "description" },
        { """{"name":5}""", "$.name" },
        { """{"name":{"a":1}}""", "$.name" },
        { """{"name":"ok","slug":""}""", "slug" },
        { """{"name":"ok","slug":"Has Caps"}""", "slug" },
        { """{"name":"ok","slug":"under_score"}""", "slug" },
        { """{"name":"ok","slug":"x'; DROP TABLE folders; --"}""", "slug" },
        { $$"""{"name":"ok","slug":"{{new string('s', 101)}}"}""", "slug" },
        { """{"name":"ok","slug":7}""", "$.slug" },
        { """{"name":"ok","parentFolderId":"not-a-uuid"}""", "parentFolderId" },
        { """{"name":"ok","parentFolderId":"0196a6c4-0000-7000-8000-000000000000"}""", "parentFolderId" },
        { """{"name":"ok","userId":"user-1"}""", "userId" },
        { """{"name":"ok","orgId":"{0196a6c4-0000-7000-8000-000000000000}"}""", "orgId" },
        { """{"name":"ok","clientId":12}""", "$.clientId" },
        { """{"name":"ok","expectedVersion":"3"}""", "$.expectedVersion" },
        { """{"name":"ok","colour":"red"}""", "$.colour" },
        { """{"name":"ok","id":"0196a6c4-0000-7000-8000-000000000000"}""", "$.id" },
        { """{"name":"ok",}""", null },
        { """{"name":"ok" """, null },
        { "[1,2]", null },
        { "null", null },
        { "", null },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Bad_creates_are_400_naming_the_field_and_write_nothing(string json, string? field)
    {
        var response = await Client.PostAsync("/v1/folders", RawJson(json));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, field, "VALIDATION_ERROR");
        Assert.Equal((0, 0), await CountRowsAsync());
    }

    [Fact]
    public async Task Upsert_flag_must_be_a_boolean()
    {
        await AssertErrorAsync(await Client.PostAsJsonAsync("/v1/folders?upsert=yes", new { name = "n" }), HttpStatusCode.BadRequest, "upsert");
        Assert.Equal((0, 0), await CountRowsAsync());
    }

    [Fact]
    public async Task Wrong_content_type_and_oversized_bodies_write_nothing()
    {
        var form = await Client.PostAsync("/v1/folders", new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        var huge = await OversizedAsync(() => Client.PostAsJsonAsync("/v1/folders", new { name = "n", description = new string('x', 2 * 1024 * 1024) }));
        Assert.True(huge is null or HttpStatusCode.RequestEntityTooLarge, $"{huge}");
        Assert.Equal((0, 0), await CountRowsAsync());
    }

    public static TheoryData<string, string> BadPuts => new()
    {
        { """{"name":""}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}"}""", "name" },
        { $$"""{"description":"{{new string('d', 2001)}}"}""", "description" },
        { """{"userId":"nope"}""", "userId" },
        { """{"name":true}""", "$.name" },
        { """{"expectedVersion":"2"}""", "$.expectedVersion" },
        { """{"depth":4}""", "$.depth" },
    };

    [Theory]
    [MemberData(nameof(BadPuts))]
    public async Task Bad_puts_are_400_and_change_nothing(string json, string field)
    {
        var folder = await CreateFolderAsync(new { name = "Stable", description = "d" });
        var before = await CountRowsAsync();
        var response = await Client.PutAsync($"/v1/folders/{Id(folder)}", RawJson(json));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, field);
        var after = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}"));
        Assert.Equal("Stable", after.GetProperty("name").GetString());
        Assert.Equal("d", after.GetProperty("description").GetString());
        Assert.Equal(1, Version(after));
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task Injection_strings_are_stored_as_plain_text()
    {
        const string Name = "Robert'); DROP TABLE folders; --";
        var folder = await CreateFolderAsync(new { name = Name, description = "<script>alert(1)</script>" });
        var got = await JsonAsync(await Client.GetAsync($"/v1/folders/{Id(folder)}"));
        Assert.Equal(Name, got.GetProperty("name").GetString());
        Assert.Equal("<script>alert(1)</script>", got.GetProperty("description").GetString());
        Assert.Equal((2, 2), await CountRowsAsync());
    }
}
