using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Documents;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>
/// File documents through real HTTP (issue #8 item 2): an upload starts PENDING_UPLOAD with a signed URL on this server,
/// a plain PUT of the bytes without an Authorization header stores them (UPLOADED, indexing queued, one transaction),
/// and expired, replayed, tampered or mistyped uploads are refused with nothing stored. Downloads are signed the same way.
/// </summary>
public sealed class DocumentUploadTests : DocumentTestBase
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4 not really a pdf, but bytes are bytes");

    [Fact]
    public async Task An_upload_starts_pending_stores_the_bytes_from_a_plain_put_and_downloads_them_again()
    {
        var started = await StartAsync(new { fileName = "intake.pdf", fileType = "application/pdf", indexMode = "HYBRID", externalId = "file-1" });
        var id = Id(started);
        Assert.True(started.GetProperty("created").GetBoolean());
        Assert.Equal("file-1", started.GetProperty("externalId").GetString());
        var expiresAt = DateTimeOffset.Parse(started.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        var url = started.GetProperty("uploadUrl").GetString()!;
        Assert.StartsWith(Server.BaseAddress.ToString().TrimEnd('/') + "/files/uploads/", url, StringComparison.Ordinal);

        var pending = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal("PENDING_UPLOAD", pending.GetProperty("indexStatus").GetString());
        Assert.Equal("ACTIVE", pending.GetProperty("status").GetString());
        Assert.Equal("intake.pdf", pending.GetProperty("title").GetString());
        Assert.Equal("application/pdf", pending.GetProperty("fileType").GetString());
        Assert.False(pending.TryGetProperty("fileSize", out _));
        Assert.Equal(0, await QueuedAsync(id));
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/download"), HttpStatusCode.NotFound);
        await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/text"), HttpStatusCode.NotFound);

        await ExpectAsync(await PutBytesAsync(url, Pdf, "application/pdf"), HttpStatusCode.OK);
        var uploaded = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.NotEqual("PENDING_UPLOAD", uploaded.GetProperty("indexStatus").GetString()); // UPLOADED, or already further on
        Assert.Equal(Pdf.Length, uploaded.GetProperty("fileSize").GetInt64());
        Assert.Equal(2, uploaded.GetProperty("version").GetInt64());
        Assert.Equal(1, await QueuedAsync(id));
        var rows = await DocumentRowsAsync();
        Assert.Equal((1L, 1L), (rows.Tickets, rows.Blobs));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM upload_tickets WHERE document_id = $1 AND used_at IS NOT NULL", Guid.Parse(id)));

        var download = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/download"), HttpStatusCode.OK);
        Assert.Equal(id, download.GetProperty("id").GetString());
        Assert.Equal("application/pdf", download.GetProperty("fileType").GetString());
        Assert.InRange(download.GetProperty("expires").GetInt64() - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 60_000, 16 * 60_000);
        using var anonymous = Server.CreateClient();
        var file = await anonymous.GetAsync(download.GetProperty("downloadUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Pdf, await file.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_used_url_is_refused_and_stores_nothing_more()
    {
        var started = await StartAsync(new { fileName = "a.txt", fileType = "text/plain", indexMode = "TEXT" });
        var url = started.GetProperty("uploadUrl").GetString()!;
        await ExpectAsync(await PutBytesAsync(url, "first"u8.ToArray(), "text/plain"), HttpStatusCode.OK);
        var before = await DocumentRowsAsync();

        var replay = await ExpectAsync(await PutBytesAsync(url, "second"u8.ToArray(), "text/plain"), HttpStatusCode.Conflict);
        Assert.Equal("UPLOAD_URL_USED", replay.GetProperty("errorCode").GetString());
        Assert.Equal(before, await DocumentRowsAsync());
        Assert.Equal(5, (await ExpectAsync(await Client.GetAsync($"/v1/documents/{Id(started)}"), HttpStatusCode.OK)).GetProperty("fileSize").GetInt64());
    }

    [Fact]
    public async Task A_tampered_url_is_refused_before_anything_is_read()
    {
        var started = await StartAsync(new { fileName = "a.txt", fileType = "text/plain", indexMode = "TEXT" });
        var url = started.GetProperty("uploadUrl").GetString()!;
        var token = url[(url.LastIndexOf('/') + 1)..];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        foreach (var bad in new[]
                 {
                     token[..(dot - 2)] + (token[dot - 2] == 'A' ? 'B' : 'A') + token[(dot - 1)..],
                     token[..^2] + (token[^2] == 'A' ? "BA" : "AA"),
                     token[..dot],
                     "x.y",
                 })
        {
            var refused = await ExpectAsync(await PutBytesAsync(url[..(url.LastIndexOf('/') + 1)] + bad, "x"u8.ToArray(), "text/plain"), HttpStatusCode.Forbidden);
            Assert.Equal("INVALID_SIGNATURE", refused.GetProperty("errorCode").GetString());
        }

        // A download token is not an upload token (and the other way round).
        var download = url.Replace("/files/uploads/", "/files/downloads/", StringComparison.Ordinal);
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(download)).StatusCode);

        var rows = await DocumentRowsAsync();
        Assert.Equal(0, rows.Blobs);
        Assert.Equal("PENDING_UPLOAD", (await ExpectAsync(await Client.GetAsync($"/v1/documents/{Id(started)}"), HttpStatusCode.OK)).GetProperty("indexStatus").GetString());
    }

    [Fact]
    public async Task Expired_urls_and_tickets_are_refused_and_store_nothing()
    {
        var started = await StartAsync(new { fileName = "a.txt", fileType = "text/plain", indexMode = "TEXT" });
        var id = Guid.Parse(Id(started));

        // The ticket expired (the URL's own expiry is still ahead): the server-side check refuses it.
        await ExecuteAsync("UPDATE upload_tickets SET expires_at = now() - interval '1 minute' WHERE document_id = $1", id);
        var expired = await ExpectAsync(await PutBytesAsync(started.GetProperty("uploadUrl").GetString()!, "x"u8.ToArray(), "text/plain"), HttpStatusCode.Forbidden);
        Assert.Equal("URL_EXPIRED", expired.GetProperty("errorCode").GetString());

        // A correctly signed URL whose expiry has passed is refused before the document is even asked.
        var urls = Server.Services.GetRequiredService<FileUrls>();
        var context = new DefaultHttpContext();
        context.Request.Scheme = Server.BaseAddress.Scheme;
        context.Request.Host = new HostString(Server.BaseAddress.Authority);
        var ticket = new UploadTicket(Guid.CreateVersion7(), id, DateTimeOffset.UtcNow.AddSeconds(-1), 1000);
        var old = await ExpectAsync(await PutBytesAsync(urls.UploadUrl(context.Request, Partner.TestTenantId, "default", ticket, "text/plain"), "x"u8.ToArray(), "text/plain"), HttpStatusCode.Forbidden);
        Assert.Equal("URL_EXPIRED", old.GetProperty("errorCode").GetString());
        var oldDownload = urls.DownloadUrl(context.Request, Partner.TestTenantId, "default", new DocumentDownload(id, "text/plain", null, DateTimeOffset.UtcNow.AddSeconds(-1)));
        using var anonymous = Server.CreateClient();
        Assert.Equal(HttpStatusCode.Forbidden, (await anonymous.GetAsync(oldDownload)).StatusCode);

        Assert.Equal(0, (await DocumentRowsAsync()).Blobs);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM upload_tickets WHERE document_id = $1 AND used_at IS NOT NULL", id));
    }

    [Fact]
    public async Task A_content_type_other_than_the_file_type_is_refused()
    {
        var started = await StartAsync(new { fileName = "a.pdf", fileType = "application/pdf", indexMode = "TEXT" });
        var refused = await ExpectAsync(await PutBytesAsync(started.GetProperty("uploadUrl").GetString()!, Pdf, "text/html"), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/pdf", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await DocumentRowsAsync()).Blobs);

        // No Content-Type at all is taken as the declared one.
        await ExpectAsync(await PutBytesAsync(started.GetProperty("uploadUrl").GetString()!, Pdf, null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_re_upload_by_external_id_replaces_the_file_of_the_same_document()
    {
        var first = await StartAsync(new { fileName = "v1.txt", fileType = "text/plain", indexMode = "TEXT", externalId = "report", payload = new { rev = 1 } });
        var id = Id(first);
        await ExpectAsync(await PutBytesAsync(first.GetProperty("uploadUrl").GetString()!, "version one"u8.ToArray(), "text/plain"), HttpStatusCode.OK);

        var again = await Client.PostAsJsonAsync("/v1/documents/upload", new { fileName = "v2.md", fileType = "text/markdown", indexMode = "TEXT", externalId = "report" });
        var second = await ExpectAsync(again, HttpStatusCode.OK);
        Assert.False(second.GetProperty("created").GetBoolean());
        Assert.Equal(id, Id(second));
        Assert.NotEqual(first.GetProperty("uploadUrl").GetString(), second.GetProperty("uploadUrl").GetString());
        Assert.Equal("v1.txt", (await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK)).GetProperty("title").GetString());

        await ExpectAsync(await PutBytesAsync(second.GetProperty("uploadUrl").GetString()!, "version two!"u8.ToArray(), "text/markdown"), HttpStatusCode.OK);
        var replaced = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal("text/markdown", replaced.GetProperty("fileType").GetString());
        Assert.Equal(12, replaced.GetProperty("fileSize").GetInt64());

        // The indexer re-extracts the new bytes: the search index holds the second version only.
        await IndexedAsync(id);
        Assert.Equal("version two!", await TextAsync("SELECT string_agg(chunk_text, '|') FROM chunks WHERE source_id = $1", Guid.Parse(id)));
        Assert.Equal(3, await ScalarAsync("SELECT content_version FROM documents WHERE document_id = $1", Guid.Parse(id)));
        Assert.Equal(1, (await DocumentRowsAsync()).Blobs);
        Assert.Equal(2, await QueuedAsync(id));

        var download = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}/download"), HttpStatusCode.OK);
        using var anonymous = Server.CreateClient();
        Assert.Equal("version two!", await anonymous.GetStringAsync(download.GetProperty("downloadUrl").GetString()));

        // With upsert the title and payload of the request are applied as well.
        var upserted = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/upload?upsert=true",
            new { fileName = "v3.txt", fileType = "text/plain", indexMode = "TEXT", externalId = "report", title = "Quarterly", payload = new { rev = 3 } }), HttpStatusCode.OK);
        Assert.Equal(id, Id(upserted));
        var doc = await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK);
        Assert.Equal("Quarterly", doc.GetProperty("title").GetString());
        Assert.Equal(3, doc.GetProperty("payload").GetProperty("rev").GetInt32());
    }

    [Fact]
    public async Task Text_documents_have_no_file_and_cannot_be_replaced_by_one()
    {
        var text = await IngestTextAsync("Text", "inline", new { externalId = "inline-1" });
        var download = await ExpectAsync(await Client.GetAsync($"/v1/documents/{Id(text)}/download"), HttpStatusCode.BadRequest);
        Assert.Contains("text-only", download.GetProperty("message").GetString(), StringComparison.Ordinal);
        var reupload = await ExpectAsync(await Client.PostAsJsonAsync("/v1/documents/upload",
            new { fileName = "x.txt", fileType = "text/plain", indexMode = "TEXT", externalId = "inline-1" }), HttpStatusCode.BadRequest);
        Assert.Equal("externalId", reupload.GetProperty("details").GetProperty("field").GetString());

        // And a file document takes no inline text.
        var file = await StartAsync(new { fileName = "a.txt", fileType = "text/plain", indexMode = "TEXT" });
        var put = await ExpectAsync(await Client.PutAsJsonAsync($"/v1/documents/{Id(file)}", new { text = "inline" }), HttpStatusCode.BadRequest);
        Assert.Equal("text", put.GetProperty("details").GetProperty("field").GetString());
    }

    [Fact]
    public async Task Store_text_is_chosen_at_upload_and_deleting_the_document_deletes_its_file()
    {
        var kept = await StartAsync(new { fileName = "a.txt", fileType = "text/plain", indexMode = "TEXT" });
        Assert.True((await ExpectAsync(await Client.GetAsync($"/v1/documents/{Id(kept)}"), HttpStatusCode.OK)).GetProperty("storeText").GetBoolean());
        var dropped = await StartAsync(new { fileName = "b.txt", fileType = "text/plain", indexMode = "TEXT", storeText = false });
        var id = Id(dropped);
        Assert.False((await ExpectAsync(await Client.GetAsync($"/v1/documents/{id}"), HttpStatusCode.OK)).GetProperty("storeText").GetBoolean());

        await ExpectAsync(await PutBytesAsync(dropped.GetProperty("uploadUrl").GetString()!, "bytes"u8.ToArray(), "text/plain"), HttpStatusCode.OK);
        Assert.Equal(1, (await DocumentRowsAsync()).Blobs);
        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{id}"), HttpStatusCode.NoContent);
        var rows = await DocumentRowsAsync();
        Assert.Equal((0L, 0L), (rows.Blobs, await ScalarAsync("SELECT count(*) FROM upload_tickets WHERE document_id = $1", Guid.Parse(id))));
    }

    [Fact]
    public async Task A_put_to_the_url_of_a_deleted_document_stores_nothing()
    {
        var started = await StartAsync(new { fileName = "a.txt", fileType = "text/plain", indexMode = "TEXT" });
        await ExpectAsync(await Client.DeleteAsync($"/v1/documents/{Id(started)}"), HttpStatusCode.NoContent);
        await ExpectAsync(await PutBytesAsync(started.GetProperty("uploadUrl").GetString()!, "x"u8.ToArray(), "text/plain"), HttpStatusCode.NotFound);
        Assert.Equal(0, (await DocumentRowsAsync()).Blobs);
    }

    private async Task<JsonElement> StartAsync(object request)
    {
        var response = await Client.PostAsJsonAsync("/v1/documents/upload", request);
        return await ExpectAsync(response, HttpStatusCode.Created);
    }

    /// <summary>A plain PUT without an Authorization header, as a browser or curl would send it.</summary>
    private async Task<HttpResponseMessage> PutBytesAsync(string url, byte[] bytes, string? contentType)
    {
        using var anonymous = Server.CreateClient();
        var content = new ByteArrayContent(bytes);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await anonymous.PutAsync(url, content);
    }
}
