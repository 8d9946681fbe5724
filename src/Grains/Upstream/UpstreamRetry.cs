using System.Globalization;
using System.Net;

namespace Vectros.Grains.Upstream;

/// <summary>
/// The retry rules every outbound model call shares (the OpenAI-compatible embedder and chat model): which answers are
/// worth retrying, how long a server asks us to wait, exponential back-off with jitter, and keeping the key out of text.
/// </summary>
internal static class UpstreamRetry
{
    /// <summary>408, 429 and 5xx: the server may answer a retry; any other refusal will be refused again.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary><c>Retry-After</c> (seconds or a date), or <c>retry-after-ms</c> (OpenAI, Azure), capped at <paramref name="max"/>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now, TimeSpan max)
    {
        TimeSpan? wait = null;
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds))
        {
            wait = TimeSpan.FromMilliseconds(milliseconds);
        }
        else if (response.Headers.RetryAfter is { } header)
        {
            wait = header.Delta ?? header.Date - now;
        }

        return wait is null ? null : TimeSpan.FromTicks(Math.Clamp(wait.Value.Ticks, 0, max.Ticks));
    }

    /// <summary>base·2^attempt, capped, then scaled by a random factor in [0.5, 1) so clients that failed together spread out.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan max)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    /// <summary>A server may echo the key in an error (OpenAI's 401 does, partly): it never leaves the caller.</summary>
    public static string Redact(string text, string? secret) =>
        string.IsNullOrEmpty(secret) ? text : text.Replace(secret, "***", StringComparison.Ordinal);
}
