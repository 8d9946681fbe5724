namespace Vectros.Grains.Webhooks;

/// <summary>When a failed delivery is tried again (issue #11 item 5): the schedule with jitter, or later if the receiver asks.</summary>
internal static class WebhookRetryPolicy
{
    /// <summary>
    /// The delay before the next attempt after <paramref name="attemptsMade"/> attempts, or null when the schedule is
    /// spent (the delivery is given up). A <c>Retry-After</c> later than the schedule wins, capped at
    /// <see cref="WebhookOptions.MaxRetryAfter"/> so a receiver cannot park a delivery for ever.
    /// </summary>
    public static TimeSpan? NextDelay(WebhookOptions options, int attemptsMade, TimeSpan? retryAfter)
    {
        var schedule = options.EffectiveRetrySchedule;
        if (attemptsMade < 1 || attemptsMade > schedule.Count)
        {
            return null;
        }

        var scheduled = schedule[attemptsMade - 1];
        var spread = 1 + ((Random.Shared.NextDouble() * 2) - 1) * options.RetryJitter;
        var delay = TimeSpan.FromTicks((long)(scheduled.Ticks * spread));
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < options.MaxRetryAfter ? asked : options.MaxRetryAfter;
        }

        return delay;
    }
}
