using Orleans;

namespace Vectros.Grains.Abstractions.Webhooks;

/// <summary>
/// One webhook registration (key: its <c>wh_…</c> id, never hex). Owns its settings, its secrets and its deliveries:
/// the database holds the truth (pending deliveries with their next attempt time, attempts, notices) and a durable
/// reminder wakes the grain to send what is due, so a restart mid-retry loses nothing.
/// </summary>
[Alias("vectros.IWebhookRegistrationGrain")]
public interface IWebhookRegistrationGrain : IGrainWithStringKey
{
    /// <summary>Creates the registration; the secret comes back this once.</summary>
    Task<WebhookWithSecret> CreateAsync(CreateWebhookCommand command);

    /// <summary>Throws <c>NotFoundException</c> when missing.</summary>
    Task<WebhookRegistration> GetAsync();

    Task<WebhookRegistration> UpdateAsync(UpdateWebhookCommand command);

    /// <summary>Removes the registration with its deliveries, attempts and notices.</summary>
    Task DeleteAsync();

    /// <summary>A new secret (shown once); the old one keeps signing beside it for the configured overlap.</summary>
    Task<WebhookWithSecret> RotateSecretAsync();

    Task<WebhookRegistration> DisableAsync();

    /// <summary>Re-enables and resets the failure counter.</summary>
    Task<WebhookRegistration> EnableAsync();

    Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(string? cursor, int limit);

    /// <summary>Queues again every delivery that failed (gave up) since <paramref name="since"/>; returns how many.</summary>
    Task<WebhookRecovery> RecoverAsync(DateTimeOffset since);

    /// <summary>New deliveries were queued for it: send what is due and make sure the reminder is set.</summary>
    Task WakeAsync();

    /// <summary>
    /// One attempt of the <c>tenant.deleted</c> event (teardown), recorded; true when the endpoint acknowledged it
    /// (now or before). Disabled registrations are skipped (false).
    /// </summary>
    Task<bool> SendTenantDeletedAsync();
}
