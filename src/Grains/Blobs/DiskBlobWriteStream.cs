namespace Vectros.Grains.Blobs;

/// <summary>A temporary file that, once disposed, is flushed to disk and renamed over its target in one step.</summary>
internal sealed class DiskBlobWriteStream : FileStream
{
    private readonly string _temp;
    private readonly string _target;
    private bool _moved;

    public DiskBlobWriteStream(string temp, string target)
        : base(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous)
    {
        _temp = temp;
        _target = target;
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_moved)
        {
            _moved = true;
            await FlushAsync();
            Flush(flushToDisk: true);
            await base.DisposeAsync();
            File.Move(_temp, _target, overwrite: true);
            return;
        }

        await base.DisposeAsync();
    }
}
