using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Blobs;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>A server whose files live on local disk (<c>Vectros:Blobs:Provider = Disk</c>) and that accepts files of 4 KiB at most.</summary>
public sealed class DiskStoreServerFixture : IAsyncLifetime
{
    public const long MaxFileBytes = 4096;

    private TestDatabase _db = null!;

    public string BlobPath { get; } = Path.Combine(Path.GetTempPath(), "vectros-blobs-" + Guid.NewGuid().ToString("N"));

    public VectrosTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("diskblobs");
        Server = await VectrosTestServer.StartAsync(_db.ConnectionString, new Dictionary<string, string?>
        {
            ["Vectros:Blobs:Provider"] = "Disk",
            ["Vectros:Blobs:Path"] = BlobPath,
            ["Vectros:Documents:MaxFileBytes"] = MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _db.DisposeAsync();
        if (Directory.Exists(BlobPath))
        {
            Directory.Delete(BlobPath, recursive: true);
        }
    }
}

/// <summary>
/// Uploads against the disk blob store: files under the configured directory, replaced atomically, deleted with their
/// document and with their context; oversized bodies (with or without a Content-Length) refused with nothing stored.
/// </summary>
public sealed class DocumentDiskStoreTests(DiskStoreServerFixture fixture) : IClassFixture<DiskStoreServerFixture>, IAsyncLifetime
{
    private TestPartner _partner = null!;
    private HttpClient _client = null!;

    private VectrosTestServer Server => fixture.Server;

    public async Task InitializeAsync()
    {
        _partner = await Server.CreatePartnerAsync(nameof(DocumentDiskStoreTests));
        _client = Server.CreateClient(_partner.TestKey.RawKey);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    private string ContextDirectory(string contextId = "default") =>
        Path.Combine(fixture.BlobPath, DiskBlobStore.SafeName(_partner.TestTenantId), DiskBlobStore.SafeName(contextId));

    private string[] Files(string contextId = "default") =>
        Directory.Exists(ContextDirectory(contextId)) ? Directory.GetFiles(ContextDirectory(contextId)) : [];

    [Fact]
    public async Task Files_live_in_the_directory_are_replaced_whole_and_leave_with_their_document()
    {
        Assert.IsType<DiskBlobStore>(Server.Services.GetRequiredService<IBlobStore>());
        var started = await StartAsync("report");
        var id = started.GetProperty("id").GetString();
        await PutAsync(started.GetProperty("uploadUrl").GetString()!, new ByteArrayContent("first version"u8.ToArray()), HttpStatusCode.OK);
        var first = Assert.Single(Files());
        Assert.Equal("first version", await File.ReadAllTextAsync(first));

        var again = await StartAsync("report", HttpStatusCode.OK);
        await PutAsync(again.GetProperty("uploadUrl").GetString()!, new ByteArrayContent("second"u8.ToArray()), HttpStatusCode.OK);
        var second = Assert.Single(Files());
        Assert.Equal("second", await File.ReadAllTextAsync(second));
        Assert.DoesNotContain(Files(), f => Path.GetFileName(f).StartsWith('.'));

        var download = await _client.GetFromJsonAsync<JsonElement>($"/v1/documents/{id}/download");
        using var anonymous = Server.CreateClient();
        Assert.Equal("second", await anonymous.GetStringAsync(download.GetProperty("downloadUrl").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/documents/{id}")).StatusCode);
        Assert.Empty(Files());
    }

    [Fact]
    public async Task Oversized_uploads_are_refused_with_or_without_a_content_length_and_store_nothing()
    {
        var started = await StartAsync(externalId: null);
        var url = started.GetProperty("uploadUrl").GetString()!;
        var tooBig = new byte[DiskStoreServerFixture.MaxFileBytes + 1];

        var declared = await PutAsync(url, new ByteArrayContent(tooBig), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("PAYLOAD_TOO_LARGE", declared.GetProperty("errorCode").GetString());
        Assert.Contains("4096", declared.GetProperty("message").GetString(), StringComparison.Ordinal);

        // Chunked: no length to check up front, so the server counts while it reads.
        var chunked = new StreamContent(new MemoryStream(tooBig));
        chunked.Headers.ContentLength = null;
        var counted = await PutAsync(url, chunked, HttpStatusCode.RequestEntityTooLarge, chunkedTransfer: true);
        Assert.Equal("PAYLOAD_TOO_LARGE", counted.GetProperty("errorCode").GetString());

        Assert.Empty(Files());
        var doc = await _client.GetFromJsonAsync<JsonElement>($"/v1/documents/{started.GetProperty("id").GetString()}");
        Assert.Equal("PENDING_UPLOAD", doc.GetProperty("indexStatus").GetString());

        // Exactly the limit is fine, and the URL was not used up by the refusals.
        await PutAsync(url, new ByteArrayContent(new byte[DiskStoreServerFixture.MaxFileBytes]), HttpStatusCode.OK);
        Assert.Single(Files());
    }

    [Fact]
    public async Task Deleting_a_context_deletes_its_files_on_disk()
    {
        const string contextId = "disk-teardown";
        Assert.Equal(HttpStatusCode.Created, (await _client.PostAsJsonAsync("/v1/app-contexts", new { contextId, name = "Disk" })).StatusCode);

        // Only root keys exist over HTTP and they act in the default context: write through the grains as the front end would.
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var caller = new CallerContext(_partner.TestTenantId, contextId, _partner.TestKey.KeyId, IsRoot: true, []);
        var grain = grains.GetGrain<IDocumentGrain>(caller.KeyFor(Guid.CreateVersion7().ToString()));
        var started = await grain.StartUploadAsync(caller, new DocumentUpload { FileName = "a.txt", FileType = "text/plain", IndexMode = "TEXT" }, upsert: false);
        await grain.StoreUploadAsync(new UploadContent(started.Ticket.TicketId, "text/plain", "context file"u8.ToArray()));
        Assert.Single(Files(contextId));

        Assert.Equal(HttpStatusCode.Accepted, (await _client.DeleteAsync($"/v1/app-contexts/{contextId}?confirm={contextId}")).StatusCode);
        var statuses = await AppContextPolling.StatusesUntilDeletedAsync(_client, contextId);
        Assert.Equal("deleted", statuses[^1]);
        Assert.False(Directory.Exists(ContextDirectory(contextId)));
    }

    private async Task<JsonElement> StartAsync(string? externalId, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await _client.PostAsJsonAsync("/v1/documents/upload", new { fileName = "f.txt", fileType = "text/plain", indexMode = "TEXT", externalId });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<JsonElement> PutAsync(string url, HttpContent content, HttpStatusCode expected, bool chunkedTransfer = false)
    {
        using var anonymous = Server.CreateClient();
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        request.Headers.TransferEncodingChunked = chunkedTransfer;
        var response = await anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
