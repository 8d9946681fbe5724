using System.Collections.Concurrent;

namespace Vectros.ApiFrontend.Metrics;

/// <summary>
/// Request counts and a latency histogram per (method, route template, status). Keyed by the route template,
/// never the raw path, so ids don't explode the series count.
/// </summary>
public sealed class HttpMetrics
{
    /// <summary>Histogram bucket upper bounds in seconds (Prometheus convention).</summary>
    public static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Method, string Route, int Status), Series> _series = new();

    public void Record(string method, string route, int status, double seconds)
    {
        var series = _series.GetOrAdd((method, route, status), _ => new Series());
        series.Observe(seconds);
    }

    public IEnumerable<((string Method, string Route, int Status) Key, Series Series)> Snapshot() =>
        _series.Select(kv => (kv.Key, kv.Value)).OrderBy(x => x.Key.Route, StringComparer.Ordinal);

    public sealed class Series
    {
        private readonly long[] _bucketCounts = new long[Buckets.Length];
        private long _count;
        private long _sumMicros;

        public long Count => Interlocked.Read(ref _count);

        public double SumSeconds => Interlocked.Read(ref _sumMicros) / 1_000_000.0;

        public long BucketCount(int i) => Interlocked.Read(ref _bucketCounts[i]);

        public void Observe(double seconds)
        {
            Interlocked.Increment(ref _count);
            Interlocked.Add(ref _sumMicros, (long)(seconds * 1_000_000));
            for (var i = 0; i < Buckets.Length; i++)
            {
                if (seconds <= Buckets[i])
                {
                    Interlocked.Increment(ref _bucketCounts[i]);
                }
            }
        }
    }
}
