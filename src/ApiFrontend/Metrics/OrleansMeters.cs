using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Vectros.ApiFrontend.Metrics;

/// <summary>
/// Listens to Orleans' own meter (<c>Microsoft.Orleans</c>: activations, grain calls, messaging, membership,
/// reminders, storage…) so <c>/metrics</c> can expose grain and silo statistics as Orleans measures them. Counters
/// and histograms accumulate as measurements arrive; observable instruments report their current value when
/// <see cref="Snapshot"/> asks for them.
/// </summary>
public sealed class OrleansMeters : IHostedService, IDisposable
{
    public const string MeterName = "Microsoft.Orleans";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Series> _series = new();
    private readonly Lock _collect = new();

    public OrleansMeters()
    {
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The instruments seen so far (observables read now), as Prometheus metric families.</summary>
    public IReadOnlyList<MetricFamily> Snapshot()
    {
        lock (_collect)
        {
            _listener.RecordObservableInstruments();
        }

        return [.. _series
            .GroupBy(kv => kv.Key.Instrument)
            .Select(g => new MetricFamily(
                PrometheusName(g.Key.Name),
                g.Key.Description ?? g.Key.Name,
                KindOf(g.Key),
                [.. g.Select(kv => (kv.Key.Labels, kv.Value.Sum, kv.Value.Count)).OrderBy(s => s.Labels, StringComparer.Ordinal)]))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
    }

    // A hosted service only so that the host creates it at start-up: measurements made before the listener
    // exists are lost, so it must not wait for the first scrape.
    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var series = _series.GetOrAdd((instrument, Labels(tags)), static _ => new Series());
        if (instrument.IsObservable)
        {
            series.Set(value); // observable instruments report their current value (a counter its running total)
        }
        else
        {
            series.Add(value); // counters and up-down counters report deltas, histograms single observations
        }
    }

    private static MetricKind KindOf(Instrument instrument) => instrument switch
    {
        Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => MetricKind.Counter,
        Histogram<long> or Histogram<int> or Histogram<double> or Histogram<float> => MetricKind.Summary,
        _ => MetricKind.Gauge,
    };

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }

        var parts = new List<string>(tags.Length);
        foreach (var (key, value) in tags)
        {
            parts.Add($"{PrometheusName(key)}=\"{Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")}\"");
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }

    private static string PrometheusName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        return sb.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series
    {
        private readonly Lock _gate = new();
        private double _sum;
        private long _count;

        public double Sum { get { lock (_gate) { return _sum; } } }

        public long Count { get { lock (_gate) { return _count; } } }

        public void Add(double value)
        {
            lock (_gate)
            {
                _sum += value;
                _count++;
            }
        }

        public void Set(double value)
        {
            lock (_gate)
            {
                _sum = value;
                _count = 1;
            }
        }
    }
}

public enum MetricKind
{
    Counter,
    Gauge,
    Summary,
}

/// <summary>One instrument: its samples as (labels, value or sum, count).</summary>
public sealed record MetricFamily(string Name, string Help, MetricKind Kind, IReadOnlyList<(string Labels, double Value, long Count)> Samples);
