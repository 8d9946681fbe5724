using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Vectros.Grains.Blobs;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests;

/// <summary>Both <see cref="IBlobStore"/>s keep bytes per (tenant, context, key): put, replace, read, delete, isolation.</summary>
public sealed class BlobStoreTests : ApiTestBase, IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "vectros-blobstore-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Stores() => ["Postgres", "Disk"];

    public void Dispose()
    {
        if (Directory.Exists(_path))
        {
            Directory.Delete(_path, recursive: true);
        }
    }

    private IBlobStore Store(string kind) => kind == "Disk"
        ? new DiskBlobStore(Options.Create(new BlobOptions { Provider = BlobOptions.Disk, Path = _path }))
        : new PostgresBlobStore(Server.Services.GetRequiredService<NpgsqlDataSource>());

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Bytes_are_kept_per_tenant_context_and_key(string kind)
    {
        var store = Store(kind);
        var tenant = Partner.TestTenantId;
        await store.PutAsync(tenant, "default", "documents/a/1", "one"u8.ToArray(), CancellationToken.None);
        await store.PutAsync(tenant, "other", "documents/a/1", "elsewhere"u8.ToArray(), CancellationToken.None);
        Assert.Equal("one"u8.ToArray(), await store.GetAsync(tenant, "default", "documents/a/1", CancellationToken.None));
        Assert.Equal("elsewhere"u8.ToArray(), await store.GetAsync(tenant, "other", "documents/a/1", CancellationToken.None));
        Assert.Null(await store.GetAsync(Partner.LiveTenantId, "default", "documents/a/1", CancellationToken.None));
        Assert.Null(await store.GetAsync(tenant, "default", "documents/a/2", CancellationToken.None));

        await store.PutAsync(tenant, "default", "documents/a/1", "replaced"u8.ToArray(), CancellationToken.None);
        Assert.Equal("replaced"u8.ToArray(), await store.GetAsync(tenant, "default", "documents/a/1", CancellationToken.None));

        await store.DeleteAsync(tenant, "default", "documents/a/1", CancellationToken.None);
        await store.DeleteAsync(tenant, "default", "documents/a/1", CancellationToken.None);
        await store.DeleteAsync(tenant, "nowhere", "never", CancellationToken.None);
        Assert.Null(await store.GetAsync(tenant, "default", "documents/a/1", CancellationToken.None));
        Assert.Equal("elsewhere"u8.ToArray(), await store.GetAsync(tenant, "other", "documents/a/1", CancellationToken.None));
    }

    [Fact]
    public async Task Disk_names_are_derived_so_no_key_escapes_its_directory()
    {
        var store = (DiskBlobStore)Store("Disk");
        foreach (var key in new[] { "../../etc/passwd", "..", ".", "a/b\\c", "con", "naïve ☃", new string('k', 500) })
        {
            await store.PutAsync("../tenant", "..", key, "x"u8.ToArray(), CancellationToken.None);
            Assert.Equal("x"u8.ToArray(), await store.GetAsync("../tenant", "..", key, CancellationToken.None));
        }

        var root = Path.GetFullPath(_path);
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories);
        Assert.Equal(7, files.Length);
        Assert.All(files, f => Assert.StartsWith(root + Path.DirectorySeparatorChar, Path.GetFullPath(f), StringComparison.Ordinal));
        Assert.All(files, f => Assert.False(Path.GetFileName(f).StartsWith('.'), f));
        Assert.All(files, f => Assert.True(Path.GetFileName(f).Length <= 200, f));
        Assert.NotEqual(DiskBlobStore.SafeName("a/b"), DiskBlobStore.SafeName("a%2Fb"));

        // Teardown removes a context's directory in batches.
        Assert.Equal(7, store.PurgeContext("../tenant", "..", 100));
        Assert.Equal(0, store.PurgeContext("../tenant", "..", 100));
        Assert.False(Directory.Exists(store.ContextDirectory("../tenant", "..")));
    }

    [Fact]
    public void The_disk_store_needs_a_path()
    {
        var options = new BlobOptions { Provider = "Disk" };
        Assert.Contains(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)), r => r.MemberNames.Contains("Path"));
        var unknown = new BlobOptions { Provider = "S3" };
        Assert.Contains(unknown.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(unknown)), r => r.MemberNames.Contains("Provider"));
        Assert.Empty(new BlobOptions().Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new BlobOptions())));
    }
}
