using System.Globalization;
using System.Text;
using Vectros.Runtime;

namespace Vectros.ApiFrontend.Metrics;

/// <summary>Renders metrics in the Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusWriter
{
    public static string Write(HttpMetrics http, RuntimeStatisticsSnapshot runtime, long outboxDepth)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# HELP vectros_http_requests_total HTTP requests by method, route and status.");
        sb.AppendLine("# TYPE vectros_http_requests_total counter");
        var snapshot = http.Snapshot().ToList();
        foreach (var (key, series) in snapshot)
        {
            sb.Append("vectros_http_requests_total").Append(Labels(key)).Append(' ').AppendLine(N(series.Count));
        }

        sb.AppendLine("# HELP vectros_http_request_duration_seconds HTTP request latency by method, route and status.");
        sb.AppendLine("# TYPE vectros_http_request_duration_seconds histogram");
        foreach (var (key, series) in snapshot)
        {
            var labels = LabelText(key);
            for (var i = 0; i < HttpMetrics.Buckets.Length; i++)
            {
                sb.Append("vectros_http_request_duration_seconds_bucket{").Append(labels)
                    .Append(",le=\"").Append(N(HttpMetrics.Buckets[i])).Append("\"} ").AppendLine(N(series.BucketCount(i)));
            }

            sb.Append("vectros_http_request_duration_seconds_bucket{").Append(labels).Append(",le=\"+Inf\"} ").AppendLine(N(series.Count));
            sb.Append("vectros_http_request_duration_seconds_sum{").Append(labels).Append("} ").AppendLine(N(series.SumSeconds));
            sb.Append("vectros_http_request_duration_seconds_count{").Append(labels).Append("} ").AppendLine(N(series.Count));
        }

        Gauge(sb, "vectros_grain_activations", "Live grain activations by grain type.", runtime, g => g.Activations);
        Counter(sb, "vectros_grain_calls_total", "Grain calls by grain type.", runtime, g => g.Calls);
        Counter(sb, "vectros_grain_call_failures_total", "Grain calls that threw, by grain type.", runtime, g => g.Failures);
        Gauge(sb, "vectros_grain_queue_length", "Calls waiting in activation mailboxes, by grain type.", runtime, g => g.QueueLength);
        Gauge(sb, "vectros_grain_call_latency_avg_ms", "Average grain call latency in milliseconds.", runtime, g => g.AverageLatencyMs);
        Gauge(sb, "vectros_grain_call_latency_max_ms", "Maximum grain call latency in milliseconds.", runtime, g => g.MaxLatencyMs);

        sb.AppendLine("# HELP vectros_reminders_fired_total Reminders delivered by this silo.");
        sb.AppendLine("# TYPE vectros_reminders_fired_total counter");
        sb.Append("vectros_reminders_fired_total ").AppendLine(N(runtime.RemindersFired));
        sb.AppendLine("# HELP vectros_outbox_depth Outbox rows waiting to be processed.");
        sb.AppendLine("# TYPE vectros_outbox_depth gauge");
        sb.Append("vectros_outbox_depth ").AppendLine(N(outboxDepth));
        return sb.ToString();
    }

    private static void Gauge(StringBuilder sb, string name, string help, RuntimeStatisticsSnapshot s, Func<GrainTypeStatistics, double> value) =>
        Family(sb, name, help, "gauge", s, value);

    private static void Counter(StringBuilder sb, string name, string help, RuntimeStatisticsSnapshot s, Func<GrainTypeStatistics, double> value) =>
        Family(sb, name, help, "counter", s, value);

    private static void Family(StringBuilder sb, string name, string help, string type, RuntimeStatisticsSnapshot s, Func<GrainTypeStatistics, double> value)
    {
        sb.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
        sb.Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
        foreach (var g in s.GrainTypes)
        {
            sb.Append(name).Append("{grain_type=\"").Append(Escape(g.GrainType)).Append("\"} ").AppendLine(N(value(g)));
        }
    }

    private static string Labels((string Method, string Route, int Status) key) => "{" + LabelText(key) + "}";

    private static string LabelText((string Method, string Route, int Status) key) =>
        $"method=\"{Escape(key.Method)}\",route=\"{Escape(key.Route)}\",status=\"{key.Status.ToString(CultureInfo.InvariantCulture)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string N(double value) => value.ToString("G17", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
