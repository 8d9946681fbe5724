namespace Vectros.Grains.Blobs;

/// <summary>Writes a blob as <c>blob_parts</c> rows, one INSERT per full part and the rest on dispose.</summary>
internal sealed class PostgresBlobWriteStream(PostgresBlobParts parts) : Stream
{
    private readonly byte[] _buffer = new byte[PostgresBlobParts.PartSize];
    private int _filled;
    private int _partNo;
    private long _written;
    private bool _closed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_closed;

    public override long Length => _written + _filled;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _buffer.Length)
            {
                await FlushPartAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous writes would block on database I/O; every caller here writes asynchronously.
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Write asynchronously.");

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            // The last (possibly empty) part: an empty blob still has one row, so it reads as present.
            if (_filled > 0 || _partNo == 0)
            {
                await FlushPartAsync(CancellationToken.None);
            }

            _closed = true;
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task FlushPartAsync(CancellationToken ct)
    {
        await parts.InsertAsync(_partNo, _written, _buffer.AsMemory(0, _filled), ct);
        _partNo++;
        _written += _filled;
        _filled = 0;
    }
}
