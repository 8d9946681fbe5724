using System.Collections.Concurrent;

namespace Vectros.Runtime.Tests;

/// <summary>
/// Shared observation point between a test and its grains, keyed by a test-unique id: counts events,
/// tracks how many turns are inside at once, and lets N turns meet at a barrier.
/// </summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> _all = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _events = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lock = new();
    private TaskCompletionSource _met = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;
    private int _inside;
    private int _writersInside;
    private int _maxInside;
    private int _violations;

    /// <summary>How long a turn waits at <see cref="MeetAsync"/> before giving up (keeps failing tests from hanging).</summary>
    public static readonly TimeSpan MeetTimeout = TimeSpan.FromSeconds(10);

    public static Probe For(string id) => _all.GetOrAdd(id, static _ => new Probe());

    public static string NewId() => Guid.NewGuid().ToString("N");

    public int MaxInside => Volatile.Read(ref _maxInside);

    /// <summary>Times a writer overlapped anything, or a reader overlapped a writer.</summary>
    public int Violations => Volatile.Read(ref _violations);

    public Task Released => _released.Task;

    public void Record(string name) => _events.AddOrUpdate(name, 1, static (_, n) => n + 1);

    public int Count(string name) => _events.GetValueOrDefault(name);

    public void Release() => _released.TrySetResult();

    /// <summary>Marks an exclusive (writer) turn as inside until disposed.</summary>
    public IDisposable EnterWriter()
    {
        lock (_lock)
        {
            _inside++;
            _writersInside++;
            if (_inside > 1)
            {
                _violations++;
            }

            _maxInside = Math.Max(_maxInside, _inside);
        }

        return new Exit(this, writer: true);
    }

    /// <summary>Marks a shared (reader) turn as inside until disposed.</summary>
    public IDisposable EnterReader()
    {
        lock (_lock)
        {
            _inside++;
            if (_writersInside > 0)
            {
                _violations++;
            }

            _maxInside = Math.Max(_maxInside, _inside);
        }

        return new Exit(this, writer: false);
    }

    /// <summary>True when <paramref name="parties"/> turns got here together within <see cref="MeetTimeout"/>.</summary>
    public async Task<bool> MeetAsync(int parties)
    {
        Task met;
        lock (_lock)
        {
            met = _met.Task;
            if (++_arrived == parties)
            {
                _met.TrySetResult();
            }
        }

        try
        {
            await met.WaitAsync(MeetTimeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private sealed class Exit(Probe probe, bool writer) : IDisposable
    {
        public void Dispose()
        {
            lock (probe._lock)
            {
                probe._inside--;
                if (writer)
                {
                    probe._writersInside--;
                }
            }
        }
    }
}
