using System.Net;
using System.Net.Http.Json;
using System.Text;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// Bad input on every document write (issue #8 item 9, DESIGN §7): empty text, invalid UTF-8, oversized text and
/// bodies, unknown members, wrong types, bad upload requests. Each is a 4xx naming the problem, and the tables show
/// that nothing was written.
/// </summary>
public sealed class DocumentBadInputTests : DocumentTestBase
{
    [Theory]
    [InlineData("""{"title":"t","text":"","indexMode":"TEXT"}""", "text")]
    [InlineData("""{"title":"t","text":"   \n\t ","indexMode":"TEXT"}""", "text")]
    [InlineData("""{"title":"t","indexMode":"TEXT"}""", "text")]
    [InlineData("""{"text":"t","indexMode":"TEXT"}""", "title")]
    [InlineData("""{"title":"","text":"t","indexMode":"TEXT"}""", "title")]
    [InlineData("""{"title":"t","text":5,"indexMode":"TEXT"}""", "text")]
    [InlineData("""{"title":["t"],"text":"t","indexMode":"TEXT"}""", "title")]
    [InlineData("""{"title":"t","text":"t","indexMode":"FAST"}""", "indexMode")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","status":"INDEXED"}""", "status")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","storeText":"yes"}""", "storeText")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","payload":[1]}""", "payload")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","payload":{"n":1e400}}""", "payload.n")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","folderId":"not-a-uuid"}""", "folderId")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","schemaId":42}""", "schemaId")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","userId":"u-1"}""", "userId")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","scopes":"team:a"}""", "scopes")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","scopes":["Team:a"]}""", "scopes")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","typeName":"ghost"}""", "typeName")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","colour":"red"}""", "colour")]
    [InlineData("""{"title":"t","text":"t","indexMode":"TEXT","fileType":"text/plain"}""", "fileType")]
    public async Task Bad_ingest_bodies_are_400s_naming_the_member_and_write_nothing(string json, string field)
    {
        var refused = await ExpectAsync(await Client.PostAsync("/v1/documents", RawJson(json)), HttpStatusCode.BadRequest);
        Assert.Equal("VALIDATION_ERROR", refused.GetProperty("errorCode").GetString());
        Assert.Equal(field, refused.GetProperty("details").GetProperty("field").GetString());
        await AssertNothingWrittenAsync();
    }

    [Theory]
    [InlineData("{\"title\":\"t\",\"text\":\"abc", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    [InlineData("[]", null)]
    [InlineData("{\"title\":\"t\",\"text\":\"t\",\"indexMode\":\"TEXT\",}", null)]
    public async Task Malformed_json_is_a_400_and_writes_nothing(string json, string? field)
    {
        var refused = await ExpectAsync(await Client.PostAsync("/v1/documents", RawJson(json)), HttpStatusCode.BadRequest);
        Assert.Equal("VALIDATION_ERROR", refused.GetProperty("errorCode").GetString());
        if (field is null)
        {
            Assert.False(string.IsNullOrEmpty(refused.GetProperty("message").GetString()));
        }

        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_that_says_so_and_writes_nothing()
    {
        // Raw bytes through the JSON endpoint: a lone 0xFF and a truncated multi-byte sequence inside the text.
        foreach (var bad in new[] { new byte[] { 0xFF, 0xFE }, [0xC3], [0xED, 0xA0, 0x80] })
        {
            var body = Encoding.UTF8.GetBytes("""{"title":"t","indexMode":"TEXT","text":"before """).Concat(bad).Concat(Encoding.UTF8.GetBytes(""" after"}""")).ToArray();
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var refused = await ExpectAsync(await Client.PostAsync("/v1/documents", content), HttpStatusCode.BadRequest);
            Assert.Contains("UTF-8", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Text_over_the_limit_is_a_400_naming_text_and_a_body_over_the_cap_a_413()
    {
        var over = new string('a', Vectros.Grains.Abstractions.Documents.DocumentLimits.MaxTextBytes + 1);
        var refused = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents", new { title = "t", text = over, indexMode = "TEXT" }), HttpStatusCode.BadRequest);
        Assert.Equal("text", refused.GetProperty("details").GetProperty("field").GetString());
        Assert.Contains("5242880", refused.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Multi-byte characters count in bytes, not characters.
        var wide = new string('é', (Vectros.Grains.Abstractions.Documents.DocumentLimits.MaxTextBytes / 2) + 1);
        await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents", new { title = "t", text = wide, indexMode = "TEXT" }), HttpStatusCode.BadRequest);

        var huge = new string('a', (int)Vectros.Grains.Abstractions.Documents.DocumentLimits.MaxJsonRequestBytes + 1);
        var tooLarge = await OversizedAsync(() => Client.PostAsJsonAsync("/v1/documents", new { title = "t", text = huge, indexMode = "TEXT" }));
        Assert.True(tooLarge is null or HttpStatusCode.RequestEntityTooLarge, $"answered {tooLarge}");
        await AssertNothingWrittenAsync();

        // Exactly the limit is accepted.
        var max = new string('a', Vectros.Grains.Abstractions.Documents.DocumentLimits.MaxTextBytes);
        var created = await IngestAsync(new { title = "t", text = max, indexMode = "NONE" });
        Assert.Equal(max.Length, created.GetProperty("textBytes").GetInt64());
    }

    [Fact]
    public async Task Bad_updates_are_refused_and_leave_the_document_as_it_was()
    {
        var id = Id(await IngestTextAsync("Doc", "body"));
        foreach (var (verb, json, field) in new (string, string, string)[]
                 {
                     ("PUT", """{"text":""}""", "text"),
                     ("PUT", """{"title":5}""", "title"),
                     ("PUT", """{"status":"DELETED"}""", "status"),
                     ("PUT", """{"expectedVersion":"1"}""", "expectedVersion"),
                     ("PUT", """{"payload":"x"}""", "payload"),
                     ("PUT", """{"colour":"red"}""", "colour"),
                     ("PATCH", """{"text":"  "}""", "text"),
                     ("PATCH", """{"typeName":"memo"}""", "typeName"),
                     ("PATCH", """{"payload":null}""", "payload"),
                     ("PATCH", """{"scopes":null}""", "scopes"),
                     ("PATCH", """{"expectedVersion":1.5}""", "expectedVersion"),
                 })
        {
            var request = new HttpRequestMessage(new HttpMethod(verb), $"/v1/documents/{id}") { Content = RawJson(json) };
            var refused = await ExpectAsync(await Client.SendAsync(request), HttpStatusCode.BadRequest);
            Assert.Equal(field, refused.GetProperty("details").GetProperty("field").GetString());
        }

        var doc = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal(1, doc.GetProperty("version").GetInt64());
        Assert.Equal("body", (await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/text"), HttpStatusCode.OK)).GetProperty("text").GetString());
        Assert.Equal(1, await QueuedAsync(id));
    }

    [Theory]
    [InlineData("""{"fileType":"text/plain","indexMode":"TEXT"}""", "fileName")]
    [InlineData("""{"fileName":"a.txt","indexMode":"TEXT"}""", "fileType")]
    [InlineData("""{"fileName":"a.txt","fileType":"text","indexMode":"TEXT"}""", "fileType")]
    [InlineData("""{"fileName":"a.txt","fileType":"text/plain\r\nX-Injected: 1","indexMode":"TEXT"}""", "fileType")]
    [InlineData("""{"fileName":"","fileType":"text/plain","indexMode":"TEXT"}""", "fileName")]
    [InlineData("""{"fileName":"a.txt","fileType":"text/plain"}""", "indexMode")]
    [InlineData("""{"fileName":"a.txt","fileType":"text/plain","indexMode":"TEXT","storeText":1}""", "storeText")]
    [InlineData("""{"fileName":"a.txt","fileType":"text/plain","indexMode":"TEXT","text":"inline"}""", "text")]
    [InlineData("""{"fileName":"a.txt","fileType":"text/plain","indexMode":"TEXT","folderId":"x"}""", "folderId")]
    [InlineData("""{"fileName":"a.txt","fileType":"text/plain","indexMode":"TEXT","folderId":"0190c7e0-0000-7000-8000-000000000000"}""", "folderId")]
    public async Task Bad_upload_requests_are_400s_and_issue_no_ticket(string json, string field)
    {
        var refused = await ExpectAsync(await Client.PostAsync("/v1/documents/upload", RawJson(json)), HttpStatusCode.BadRequest);
        Assert.Equal(field, refused.GetProperty("details").GetProperty("field").GetString());
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Flags_must_be_booleans_and_a_form_body_is_refused()
    {
        var upsert = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents?upsert=yes", new { title = "t", text = "t", indexMode = "TEXT" }), HttpStatusCode.BadRequest);
        Assert.Equal("upsert", upsert.GetProperty("details").GetProperty("field").GetString());
        var allowClear = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents?allowClear=1", new { title = "t", text = "t", indexMode = "TEXT" }), HttpStatusCode.BadRequest);
        Assert.Equal("allowClear", allowClear.GetProperty("details").GetProperty("field").GetString());
        var form = await Client.PostAsync("/v1/documents", new StringContent("title=t&text=t", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        foreach (var url in new[] { "/v1/documents?limit=0", "/v1/documents?limit=101", "/v1/documents?folderId=x", "/v1/documents?scope=nope", "/v1/documents?startFrom=abc" })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await Client.GetAsync(url)).StatusCode);
        }

        await AssertNothingWrittenAsync();
    }

    private async Task AssertNothingWrittenAsync()
    {
        var rows = await DocumentRowsAsync();
        Assert.Equal(new DocumentRows(0, 0, 0, 0, 0, 0, 0), rows);
    }
}
