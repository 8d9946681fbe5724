namespace Vectros.Grains.Webhooks;

/// <summary>
/// Makes one delivery attempt: an HTTPS POST of <paramref name="body"/> to <paramref name="url"/>. Never follows a
/// redirect and never throws for a failed attempt; the result says what happened, so every attempt can be recorded.
/// The anti-SSRF sender re-resolves the host before every attempt and connects only to an address it checked.
/// </summary>
public interface IWebhookSender
{
    Task<WebhookSendResult> SendAsync(Uri url, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

/// <summary>The outcome of one attempt.</summary>
/// <param name="StatusCode">The receiver's status, or null when no response came (refused, blocked, timed out).</param>
/// <param name="LatencyMs">From the start of the attempt to the response head or the failure.</param>
/// <param name="ResolvedAddress">The address connected to (or refused), when resolution got that far.</param>
/// <param name="Error">Why the attempt failed without a status, in words safe to show the partner (no secrets).</param>
/// <param name="RetryAfter">The receiver's <c>Retry-After</c>, when it sent one.</param>
/// <param name="Blocked">True when the anti-SSRF check refused every address: nothing was sent.</param>
public sealed record WebhookSendResult(
    int? StatusCode,
    long LatencyMs,
    string? ResolvedAddress,
    string? Error,
    TimeSpan? RetryAfter,
    bool Blocked = false)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
