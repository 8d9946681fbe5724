using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Vectros.Grains.Blobs;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Exports;

/// <summary>The streamed side of both <see cref="IBlobStore"/>s: incremental write, read from any offset, replace, delete.</summary>
public sealed class StreamedBlobTests : ApiTestBase, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "vectros-streamed-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Stores() => ["Postgres", "Disk"];

    public void Dispose()
    {
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_streamed_blob_reads_back_whole_and_from_any_offset(string kind)
    {
        IBlobStore store = kind == "Disk"
            ? new DiskBlobStore(Options.Create(new BlobOptions { Provider = BlobOptions.Disk, Path = _path }))
            : new PostgresBlobStore(Server.Services.GetRequiredService<NpgsqlDataSource>());
        var tenant = Partner.TestTenantId;
        // Over two 1 MiB parts, written in uneven slices.
        var bytes = new byte[(2 << 20) + 12_345];
        new Random(7).NextBytes(bytes);
        await using (var write = await store.OpenWriteAsync(tenant, "_exports", "exp_x", CancellationToken.None))
        {
            for (var at = 0; at < bytes.Length; at += 70_001)
            {
                await write.WriteAsync(bytes.AsMemory(at, Math.Min(70_001, bytes.Length - at)));
            }
        }

        foreach (var offset in new long[] { 0, 1, (1 << 20) - 1, 1 << 20, (2 << 20) + 5, bytes.Length, bytes.Length + 10 })
        {
            await using var read = await store.OpenReadAsync(tenant, "_exports", "exp_x", offset, CancellationToken.None);
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal(bytes.AsSpan((int)Math.Min(offset, bytes.Length)).ToArray(), copy.ToArray());
        }

        Assert.Null(await store.OpenReadAsync(Partner.LiveTenantId, "_exports", "exp_x", 0, CancellationToken.None));

        await using (var replace = await store.OpenWriteAsync(tenant, "_exports", "exp_x", CancellationToken.None))
        {
            await replace.WriteAsync("short"u8.ToArray());
        }

        await using (var read = await store.OpenReadAsync(tenant, "_exports", "exp_x", 0, CancellationToken.None))
        {
            using var copy = new MemoryStream();
            await read!.CopyToAsync(copy);
            Assert.Equal("short"u8.ToArray(), copy.ToArray());
        }

        await store.DeleteAsync(tenant, "_exports", "exp_x", CancellationToken.None);
        Assert.Null(await store.OpenReadAsync(tenant, "_exports", "exp_x", 0, CancellationToken.None));
    }
}
