using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Vectros.Grains.Blobs;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Exports;

/// <summary>
/// Exports on servers of their own: a moved clock (URL expiry, retention) and a restart in the middle of a run.
/// </summary>
public sealed class ExportServerTests : IAsyncLifetime
{
    private TestDatabase _db = null!;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("export");

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task An_expired_url_serves_nothing_a_new_poll_mints_a_fresh_one_and_retention_ends_the_job()
    {
        var clock = new ShiftedTimeProvider();
        await using var server = await VectrosTestServer.StartAsync(_db.ConnectionString, null, s => s.AddSingleton<TimeProvider>(clock));
        var partner = await server.CreatePartnerAsync("export-expiry");
        using var client = server.CreateClient(partner.TestKey.RawKey);
        await SeedAsync(client, 3);

        var id = await ExportClient.SubmitAsync(client, new { scope = "tenant" });
        var first = await ExportClient.WaitAsync(client, id);
        var url = first.GetProperty("downloadUrl").GetString()!;
        Assert.Equal(3, (await ExportClient.DownloadAsync(url)).OfType("record").Count());

        clock.Offset = TimeSpan.FromHours(2);
        using var anonymous = new HttpClient();
        var expired = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.DoesNotContain("\"record\"", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var again = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/admin/export/{id}");
        var fresh = again.GetProperty("downloadUrl").GetString()!;
        Assert.NotEqual(url, fresh);
        Assert.True(DateTimeOffset.Parse(again.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > clock.GetUtcNow());
        Assert.Equal(3, (await ExportClient.DownloadAsync(fresh)).OfType("record").Count());

        // Past the retention (7 days by default) the job and its payload are gone.
        clock.Offset = TimeSpan.FromDays(8);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/admin/export/{id}")).StatusCode);
    }

    [Fact]
    public async Task An_export_interrupted_by_a_restart_finishes_once_with_the_right_counts()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Vectros:Outbox:LeaseTime"] = "00:00:02",
            ["Vectros:Exports:PageSize"] = "5",
        };
        var stalling = new StallingBlobStore(stallAfterWrites: 8);
        TestPartner partner;
        string id;
        await using (var first = await VectrosTestServer.StartAsync(_db.ConnectionString, settings, s => s.AddSingleton<IBlobStore>(sp => stalling.Wrap(sp))))
        {
            partner = await first.CreatePartnerAsync("export-restart");
            using var client = first.CreateClient(partner.TestKey.RawKey);
            await SeedAsync(client, 30);
            id = await ExportClient.SubmitAsync(client, new { scope = "tenant" });
            await stalling.Stalled.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal("processing", (await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/v1/admin/export/{id}")).GetProperty("status").GetString());
        }

        await using var second = await VectrosTestServer.StartAsync(_db.ConnectionString, settings);
        using var again = second.CreateClient(partner.TestKey.RawKey);
        var job = await ExportClient.WaitAsync(again, id);
        var lines = await ExportClient.DownloadAsync(job.GetProperty("downloadUrl").GetString()!);

        ExportClient.AssertCountsMatch(job, lines);
        Assert.Equal(30, lines.OfType("record").Count());
        Assert.Equal(30, lines.OfType("record").Select(l => l.GetProperty("record").GetProperty("id").GetString()).Distinct().Count());
        Assert.Single(lines.OfType("export"));
    }

    private static async Task SeedAsync(HttpClient client, int records)
    {
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/schemas",
            new { typeName = "note", displayName = "Note", fields = new object[] { new { fieldId = "text", fieldType = "string" } } })).StatusCode);
        for (var i = 0; i < records; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/records", new { typeName = "note", payload = new { text = $"note {i}" } })).StatusCode);
        }
    }

    /// <summary>The real blob store, except that a streamed write hangs (until shutdown) after a number of writes.</summary>
    private sealed class StallingBlobStore(int stallAfterWrites)
    {
        public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int StallAfterWrites => stallAfterWrites;

        public IBlobStore Wrap(IServiceProvider services) =>
            new Store(new PostgresBlobStore(services.GetRequiredService<Npgsql.NpgsqlDataSource>()), this);

        private sealed class Store(IBlobStore inner, StallingBlobStore owner) : IBlobStore
        {
            public Task PutAsync(string tenantId, string contextId, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
                inner.PutAsync(tenantId, contextId, key, content, cancellationToken);

            public Task<byte[]?> GetAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken) =>
                inner.GetAsync(tenantId, contextId, key, cancellationToken);

            public Task DeleteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken) =>
                inner.DeleteAsync(tenantId, contextId, key, cancellationToken);

            public async Task<Stream> OpenWriteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken) =>
                new Stalling(await inner.OpenWriteAsync(tenantId, contextId, key, cancellationToken), owner);

            public Task<Stream?> OpenReadAsync(string tenantId, string contextId, string key, long offset, CancellationToken cancellationToken) =>
                inner.OpenReadAsync(tenantId, contextId, key, offset, cancellationToken);
        }

        private sealed class Stalling(Stream inner, StallingBlobStore owner) : Stream
        {
            private int _writes;

            public override bool CanRead => false;

            public override bool CanSeek => false;

            public override bool CanWrite => true;

            public override long Length => inner.Length;

            public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

            public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            {
                if (++_writes > owner.StallAfterWrites)
                {
                    owner.Stalled.TrySetResult();
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                await inner.WriteAsync(buffer, cancellationToken);
            }

            public override async ValueTask DisposeAsync()
            {
                // An interrupted run never completes its blob: the rerun replaces whatever is there.
                if (_writes <= owner.StallAfterWrites)
                {
                    await inner.DisposeAsync();
                }

                await base.DisposeAsync();
            }

            public override void Flush()
            {
            }

            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
