using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Vectros.Grains.Blobs;

/// <summary>
/// The local-disk <see cref="IBlobStore"/> (<c>Vectros:Blobs:Provider = Disk</c>): one file per blob under
/// <c>Path/&lt;tenant&gt;/&lt;context&gt;/</c>, so a context's files are one directory that teardown removes. Every name
/// is derived, never taken as given: bytes outside <c>[A-Za-z0-9_-]</c> are percent-encoded (no <c>/</c>, <c>..</c> or
/// leading dot can reach the file system) and a name too long for it becomes its SHA-256. A put writes a temporary
/// file, flushes it to disk and renames it over the target, so a reader sees the old bytes or the new ones, never a part.
/// </summary>
public sealed class DiskBlobStore(IOptions<BlobOptions> options) : IBlobStore
{
    private const int MaxNameLength = 200;
    private const string TempPrefix = ".tmp-";

    private readonly string _root = System.IO.Path.GetFullPath(options.Value.Path ?? throw new InvalidOperationException("Vectros:Blobs:Path is not configured."));

    public async Task PutAsync(string tenantId, string contextId, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var directory = ContextDirectory(tenantId, contextId);
        Directory.CreateDirectory(directory);
        var target = System.IO.Path.Combine(directory, SafeName(key));
        var temp = System.IO.Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(content, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            // The temporary file is ours alone; the target is untouched until the rename.
            File.Delete(temp);
            throw;
        }
    }

    public async Task<byte[]?> GetAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(System.IO.Path.Combine(ContextDirectory(tenantId, contextId), SafeName(key)), cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken)
    {
        // File.Delete is a no-op for a missing file; a missing directory means the blob is gone as well.
        var path = System.IO.Path.Combine(ContextDirectory(tenantId, contextId), SafeName(key));
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    /// <summary>A temporary file renamed over the target on dispose, like <see cref="PutAsync"/>.</summary>
    public Task<Stream> OpenWriteAsync(string tenantId, string contextId, string key, CancellationToken cancellationToken)
    {
        var directory = ContextDirectory(tenantId, contextId);
        Directory.CreateDirectory(directory);
        var target = System.IO.Path.Combine(directory, SafeName(key));
        var temp = System.IO.Path.Combine(directory, TempPrefix + Guid.NewGuid().ToString("N"));
        return Task.FromResult<Stream>(new DiskBlobWriteStream(temp, target));
    }

    public Task<Stream?> OpenReadAsync(string tenantId, string contextId, string key, long offset, CancellationToken cancellationToken)
    {
        try
        {
            var file = new FileStream(System.IO.Path.Combine(ContextDirectory(tenantId, contextId), SafeName(key)),
                FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
            file.Seek(Math.Min(offset, file.Length), SeekOrigin.Begin);
            return Task.FromResult<Stream?>(file);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    /// <summary>
    /// Deletes up to <paramref name="max"/> files of a context (teardown); once none are left, its directory too.
    /// Returns how many files went (0 = the context holds nothing here any more).
    /// </summary>
    public int PurgeContext(string tenantId, string contextId, int max)
    {
        var directory = ContextDirectory(tenantId, contextId);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(directory).Take(max).ToList())
        {
            File.Delete(file);
            deleted++;
        }

        if (deleted == 0)
        {
            Directory.Delete(directory, recursive: true);
        }

        return deleted;
    }

    /// <summary>The directory of one context's blobs.</summary>
    public string ContextDirectory(string tenantId, string contextId) =>
        System.IO.Path.Combine(_root, SafeName(tenantId), SafeName(contextId));

    /// <summary>
    /// A file-system-safe, injective name: <c>[A-Za-z0-9_-]</c> kept, every other UTF-8 byte as <c>%XX</c> (upper-case
    /// hex), so it never starts with a dot. Longer than <see cref="MaxNameLength"/>: <c>%</c> and the lower-case SHA-256
    /// hex of the name, which no encoding produces (an encoded <c>%</c> is followed by upper-case hex).
    /// </summary>
    public static string SafeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.Length is > 0 and <= MaxNameLength
            ? builder.ToString()
            : "%" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }
}
