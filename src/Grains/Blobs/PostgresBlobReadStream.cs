namespace Vectros.Grains.Blobs;

/// <summary>Reads a parted blob one <c>blob_parts</c> row at a time, starting at any offset.</summary>
internal sealed class PostgresBlobReadStream(PostgresBlobParts parts, long offset) : Stream
{
    private byte[] _part = [];
    private int _partNo = -1;
    private int _position;
    private long _offset = offset;
    private bool _ended;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _offset;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == _part.Length)
        {
            if (_ended || await parts.NextAsync(_partNo, _offset, cancellationToken) is not { } next)
            {
                _ended = true;
                return 0;
            }

            (_partNo, _part, _position) = (next.PartNo, next.Content, (int)Math.Max(0, _offset - next.Offset));
            if (_position >= _part.Length)
            {
                return await ReadAsync(buffer, cancellationToken);
            }
        }

        var take = Math.Min(buffer.Length, _part.Length - _position);
        _part.AsMemory(_position, take).CopyTo(buffer);
        _position += take;
        _offset += take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Synchronous reads would block on database I/O; every caller here reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
