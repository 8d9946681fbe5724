using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.ApiFrontend.Logs;

/// <summary>
/// The bounded queue between requests and the log writer. A request only ever <c>TryWrite</c>s: when the queue is
/// full the new entry is dropped and counted (<c>vectros_api_log_dropped_total</c>), so logging never waits, never
/// throws into the request it describes and never grows memory without bound.
/// </summary>
public sealed class ApiLogBuffer
{
    private readonly Channel<PendingLog> _channel;
    private long _dropped;
    private long _written;
    private long _writeFailures;
    private long _anonymous;

    public ApiLogBuffer(IOptions<ApiLogBufferOptions> options)
    {
        _channel = Channel.CreateBounded<PendingLog>(new BoundedChannelOptions(options.Value.ChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refused when full = drop-newest, and we see it
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public ChannelReader<PendingLog> Reader => _channel.Reader;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Written => Interlocked.Read(ref _written);

    public long WriteFailures => Interlocked.Read(ref _writeFailures);

    /// <summary>Calls logged without a tenant (refused before one was known): stored, never served by the API.</summary>
    public long Anonymous => Interlocked.Read(ref _anonymous);

    public void Add(ApiCallEntry call)
    {
        if (call.TenantId is null)
        {
            Interlocked.Increment(ref _anonymous);
        }

        Offer(new PendingLog(call, null));
    }

    public void Add(ReadAccessEntry read) => Offer(new PendingLog(null, read));

    internal void CountWritten(int entries) => Interlocked.Add(ref _written, entries);

    internal void CountFailed(int entries)
    {
        Interlocked.Increment(ref _writeFailures);
        Interlocked.Add(ref _dropped, entries);
    }

    private void Offer(PendingLog item)
    {
        if (!_channel.Writer.TryWrite(item))
        {
            Interlocked.Increment(ref _dropped);
        }
    }
}

/// <summary>One queued entry: a call or a read.</summary>
public readonly record struct PendingLog(ApiCallEntry? Call, ReadAccessEntry? Read);
