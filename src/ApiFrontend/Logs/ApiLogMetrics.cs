using System.Globalization;
using System.Text;

namespace Vectros.ApiFrontend.Logs;

/// <summary>The log buffer's counters in the Prometheus text format, appended to <c>/metrics</c>.</summary>
public static class ApiLogMetrics
{
    public static string Write(ApiLogBuffer buffer)
    {
        var sb = new StringBuilder();
        Counter(sb, "vectros_api_log_dropped_total", "Log entries dropped because the buffer was full or a batch write failed.", buffer.Dropped);
        Counter(sb, "vectros_api_log_written_total", "Log entries (calls and reads) written to the log tables.", buffer.Written);
        Counter(sb, "vectros_api_log_write_failures_total", "Log batch writes that failed.", buffer.WriteFailures);
        Counter(sb, "vectros_api_log_anonymous_total", "Calls logged without a tenant (refused before one was known).", buffer.Anonymous);
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, string name, string help, long value)
    {
        sb.Append("# HELP ").Append(name).Append(' ').AppendLine(help);
        sb.Append("# TYPE ").Append(name).AppendLine(" counter");
        sb.Append(name).Append(' ').AppendLine(value.ToString(CultureInfo.InvariantCulture));
    }
}
