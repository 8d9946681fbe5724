using System.Globalization;
using System.Text;
using Vectros.Grains.Outbox;

namespace Vectros.ApiFrontend.Metrics;

/// <summary>Renders metrics in the Prometheus text exposition format (version 0.0.4).</summary>
public static class PrometheusWriter
{
    /// <param name="outbox">Outbox rows waiting by kind; null when this process cannot tell (the total is then -1).</param>
    public static string Write(HttpMetrics http, IReadOnlyList<MetricFamily> orleans, IReadOnlyList<OutboxKindDepth>? outbox)
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

        foreach (var family in orleans)
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ').AppendLine(Escape(family.Help));
            sb.Append("# TYPE ").Append(family.Name).Append(' ').AppendLine(family.Kind.ToString().ToLowerInvariant());
            foreach (var (labels, value, count) in family.Samples)
            {
                var suffix = labels.Length == 0 ? "" : "{" + labels + "}";
                if (family.Kind == MetricKind.Summary)
                {
                    sb.Append(family.Name).Append("_sum").Append(suffix).Append(' ').AppendLine(N(value));
                    sb.Append(family.Name).Append("_count").Append(suffix).Append(' ').AppendLine(N(count));
                }
                else
                {
                    sb.Append(family.Name).Append(suffix).Append(' ').AppendLine(N(value));
                }
            }
        }

        sb.AppendLine("# HELP vectros_outbox_depth Outbox rows waiting to be processed.");
        sb.AppendLine("# TYPE vectros_outbox_depth gauge");
        sb.Append("vectros_outbox_depth ").AppendLine(N(outbox?.Sum(k => k.Rows) ?? -1));

        // By kind (record.index, document.index, context.teardown, …): a backlog shows which worker is behind,
        // and the oldest row's age whether it is moving at all.
        sb.AppendLine("# HELP vectros_outbox_kind_depth Outbox rows waiting, by kind.");
        sb.AppendLine("# TYPE vectros_outbox_kind_depth gauge");
        foreach (var kind in outbox ?? [])
        {
            sb.Append("vectros_outbox_kind_depth{kind=\"").Append(Escape(kind.Kind)).Append("\"} ").AppendLine(N(kind.Rows));
        }

        sb.AppendLine("# HELP vectros_outbox_oldest_age_seconds Age of the oldest waiting outbox row, by kind.");
        sb.AppendLine("# TYPE vectros_outbox_oldest_age_seconds gauge");
        foreach (var kind in outbox ?? [])
        {
            sb.Append("vectros_outbox_oldest_age_seconds{kind=\"").Append(Escape(kind.Kind)).Append("\"} ").AppendLine(N(kind.OldestAgeSeconds));
        }

        return sb.ToString();
    }

    private static string Labels((string Method, string Route, int Status) key) => "{" + LabelText(key) + "}";

    private static string LabelText((string Method, string Route, int Status) key) =>
        $"method=\"{Escape(key.Method)}\",route=\"{Escape(key.Route)}\",status=\"{key.Status.ToString(CultureInfo.InvariantCulture)}\"";

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string N(double value) => value.ToString("G17", CultureInfo.InvariantCulture);

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
}
