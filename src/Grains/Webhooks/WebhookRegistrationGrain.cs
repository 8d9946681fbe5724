using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Webhooks;
using Vectros.Grains.Security;

namespace Vectros.Grains.Webhooks;

/// <summary>
/// One webhook registration and its deliveries (issue #11 items 2, 5). The database is the truth: pending deliveries
/// carry their next attempt time, every attempt is a row. A durable reminder (at the silo's minimum period) wakes the
/// grain to send what is due, so a restart mid-retry loses nothing; a grain timer serves delays shorter than that.
/// Not reentrant: management calls and sends take turns, one delivery attempt per step.
/// </summary>
public sealed partial class WebhookRegistrationGrain(
    WebhookRegistrationStore store,
    WebhookDeliveryStore deliveries,
    TenantKeyring keyring,
    IWebhookTargetPolicy targetPolicy,
    IWebhookSender sender,
    IOptions<WebhookOptions> options,
    IOptions<ReminderOptions> reminderOptions,
    TimeProvider time,
    ILogger<WebhookRegistrationGrain> logger) : Grain, IWebhookRegistrationGrain, IRemindable
{
    private const string ReminderName = "deliver";
    private const string SecretPurpose = "secret";
    private const string Ed25519Purpose = "ed25519";
    private const int AttemptsPerTurn = 10;
    private const int MaxDescription = 500;

    private IGrainTimer? _timer;

    private string Id => this.GetPrimaryKeyString();

    public async Task<WebhookWithSecret> CreateAsync(CreateWebhookCommand command)
    {
        if (await store.GetAsync(Id) is not null)
        {
            throw new ConflictException("CONFLICT", "A registration with this id exists.");
        }

        var eventTypes = ValidEventTypes(command.EventTypes) ?? throw new ValidationException("eventTypes", "eventTypes is required.");
        var algorithms = ValidAlgorithms(command.SignatureAlgorithms);
        var description = ValidDescription(command.Description);
        var url = await targetPolicy.CheckAsync(command.PartnerId, command.Url, CancellationToken.None);
        var keys = await keyring.GetAsync(command.TenantId);
        var secret = WebhookSecrets.NewSecret();
        var (privateKey, publicKey) = algorithms.Contains(WebhookSignatureAlgorithms.Ed25519) ? WebhookSecrets.NewEd25519() : (null, null);
        var now = time.GetUtcNow();
        var row = new WebhookRow(
            Id, command.TenantId, command.PartnerId, command.Environment, url.AbsoluteUri, eventTypes, description, algorithms,
            WebhookRow.Active, null, null, 0, null, WebhookSecrets.Seal(keys, Id, SecretPurpose, secret), null, null,
            privateKey is null ? null : WebhookSecrets.Seal(keys, Id, Ed25519Purpose, privateKey), publicKey, now, now, 1);
        await store.InsertAsync(row);
        return new WebhookWithSecret(row.ToView([], now), secret);
    }

    public async Task<WebhookRegistration> GetAsync() => await ViewAsync(await LoadAsync());

    public async Task<WebhookRegistration> UpdateAsync(UpdateWebhookCommand command)
    {
        var row = await LoadAsync();
        var url = command.Url is null ? row.Url : (await targetPolicy.CheckAsync(row.PartnerId, command.Url, CancellationToken.None)).AbsoluteUri;
        var eventTypes = command.EventTypes is null ? row.EventTypes
            : ValidEventTypes(command.EventTypes) ?? throw new ValidationException("eventTypes", "eventTypes must name at least one event type.");
        var description = command.Description is null ? row.Description : ValidDescription(command.Description);
        return await SaveAsync(row with { Url = url, EventTypes = eventTypes, Description = description });
    }

    public async Task DeleteAsync()
    {
        if (!await store.DeleteAsync(Id))
        {
            throw new NotFoundException("No such webhook registration.");
        }

        await UnscheduleAsync();
        DeactivateOnIdle();
    }

    public async Task<WebhookWithSecret> RotateSecretAsync()
    {
        var row = await LoadAsync();
        var keys = await keyring.GetAsync(row.TenantId);
        var secret = WebhookSecrets.NewSecret();
        var overlap = options.Value.SecretRotationOverlap;
        var now = time.GetUtcNow();
        var saved = await SaveAsync(row with
        {
            SecretEnc = WebhookSecrets.Seal(keys, Id, SecretPurpose, secret),
            PreviousSecretEnc = overlap > TimeSpan.Zero ? row.SecretEnc : null,
            PreviousSecretUntil = overlap > TimeSpan.Zero ? now + overlap : null,
        });
        return new WebhookWithSecret(saved, secret);
    }

    public async Task<WebhookRegistration> DisableAsync()
    {
        var row = await LoadAsync();
        if (!row.IsActive)
        {
            return await ViewAsync(row);
        }

        var saved = await SaveAsync(row with { Status = WebhookRow.Disabled, DisabledReason = "Disabled by the operator.", DisabledAt = time.GetUtcNow() });
        await UnscheduleAsync();
        return saved;
    }

    public async Task<WebhookRegistration> EnableAsync()
    {
        var row = await LoadAsync();
        var saved = await SaveAsync(row with
        {
            Status = WebhookRow.Active, DisabledReason = null, DisabledAt = null, ConsecutiveFailures = 0, FirstFailureAt = null,
        });
        await ScheduleAsync(immediately: true);
        return saved;
    }

    public async Task<WebhookPage<WebhookAttempt>> ListAttemptsAsync(string? cursor, int limit)
    {
        await LoadAsync();
        long? before = null;
        if (cursor is not null)
        {
            before = long.TryParse(cursor, out var id) ? id : throw new ValidationException("startFrom", "startFrom is not a cursor of this list.");
        }

        var page = await deliveries.AttemptsAsync(Id, before, limit + 1);
        return page.Count > limit
            ? new WebhookPage<WebhookAttempt>(page[..limit], page[limit - 1].Id["att_".Length..])
            : new WebhookPage<WebhookAttempt>(page, null);
    }

    public async Task<WebhookRecovery> RecoverAsync(DateTimeOffset since)
    {
        var row = await LoadAsync();
        var requeued = await deliveries.RecoverAsync(Id, since, time.GetUtcNow());
        if (requeued > 0 && row.IsActive)
        {
            await ScheduleAsync(immediately: true);
        }

        return new WebhookRecovery(requeued);
    }

    public Task WakeAsync() => ScheduleAsync(immediately: true);

    public async Task<bool> SendTenantDeletedAsync()
    {
        if (await store.GetAsync(Id) is not { IsActive: true } row)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var eventId = TenantDeletedEventId(row.TenantId);
        var body = WebhookEnvelope.Build(eventId, WebhookEventTypes.TenantDeleted, now, row.TenantId, null, new JsonObject { ["tenantId"] = row.TenantId });
        var delivery = await deliveries.TenantDeletedAsync(Id, row.TenantId, eventId, body, now);
        if (delivery.Status == "succeeded")
        {
            return true;
        }

        // One attempt: the tenant is going away, so there is nothing to retry into.
        var result = await SendAsync(row, delivery);
        await deliveries.RecordAsync(Id, row.TenantId, new AttemptOutcome(
            delivery, result, time.GetUtcNow(), result.Succeeded ? "succeeded" : "failed", null, null, null));
        return result.Succeeded;
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => await DeliverDueAsync();

    /// <summary>Sends what is due (a bounded batch per turn), then sets the next wake-up.</summary>
    private async Task DeliverDueAsync()
    {
        _timer?.Dispose();
        _timer = null;
        try
        {
            var row = await store.GetAsync(Id);
            if (row is not { IsActive: true })
            {
                await UnscheduleAsync();
                return;
            }

            var due = await deliveries.DueAsync(Id, time.GetUtcNow(), AttemptsPerTurn);
            foreach (var delivery in due)
            {
                row = await AttemptAsync(row, delivery);
                if (!row.IsActive)
                {
                    await UnscheduleAsync();
                    return;
                }
            }

            await ScheduleAsync(immediately: due.Count == AttemptsPerTurn);
        }
        catch (Exception ex) when (ex is NpgsqlException or WebhookConcurrencyException or TimeoutException)
        {
            // Nothing is lost: the rows are still due and the reminder (kept) comes back.
            LogDeliveryFailed(logger, Id, ex);
        }
    }

    private async Task<WebhookRow> AttemptAsync(WebhookRow row, DeliveryRow delivery)
    {
        var result = await SendAsync(row, delivery);
        var at = time.GetUtcNow();
        var o = options.Value;
        if (result.Succeeded)
        {
            var reset = row.ConsecutiveFailures == 0 ? null : Bump(row with { ConsecutiveFailures = 0, FirstFailureAt = null }, at);
            await deliveries.RecordAsync(Id, row.TenantId, new AttemptOutcome(delivery, result, at, "succeeded", null, reset, null));
            return reset ?? row;
        }

        var failures = row.ConsecutiveFailures + 1;
        var first = row.FirstFailureAt ?? at;
        string? disabled = null;
        if (result.StatusCode == 410)
        {
            disabled = "The endpoint answered 410 Gone.";
        }
        else if (failures >= o.AutoDisableAfterFailures && at - first >= o.AutoDisableMinimumSpan)
        {
            disabled = $"Disabled after {failures} consecutive failed attempts since {first:O}.";
        }

        var updated = Bump(row with
        {
            ConsecutiveFailures = failures,
            FirstFailureAt = first,
            Status = disabled is null ? row.Status : WebhookRow.Disabled,
            DisabledReason = disabled ?? row.DisabledReason,
            DisabledAt = disabled is null ? row.DisabledAt : at,
        }, at);
        var delay = WebhookRetryPolicy.NextDelay(o, delivery.Attempts + 1, result.RetryAfter);
        await deliveries.RecordAsync(Id, row.TenantId, new AttemptOutcome(
            delivery, result, at, delay is null ? "failed" : "pending", at + delay, updated, disabled));
        if (disabled is not null)
        {
            LogDisabled(logger, Id, failures);
        }

        return updated;
    }

    private async Task<WebhookSendResult> SendAsync(WebhookRow row, DeliveryRow delivery)
    {
        var keys = await keyring.GetAsync(row.TenantId);
        var now = time.GetUtcNow();
        var hmacKeys = new List<byte[]> { WebhookSecrets.KeyBytes(WebhookSecrets.Open(keys, Id, SecretPurpose, row.SecretEnc)) };
        if (row.PreviousSecretEnc is { } previous && row.PreviousSecretUntil > now)
        {
            hmacKeys.Add(WebhookSecrets.KeyBytes(WebhookSecrets.Open(keys, Id, SecretPurpose, previous)));
        }

        var ed25519 = row.Ed25519PrivateEnc is { } sealedKey ? WebhookSecrets.Open(keys, Id, Ed25519Purpose, sealedKey) : null;
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var headers = WebhookSigner.Headers(delivery.EventId.ToString(), now, body, hmacKeys, ed25519);
        return await sender.SendAsync(new Uri(row.Url), headers, body, CancellationToken.None);
    }

    /// <summary>Sets the durable reminder to the next due delivery (and a timer when that is sooner than the reminder can be).</summary>
    private async Task ScheduleAsync(bool immediately)
    {
        var next = immediately ? time.GetUtcNow() : await deliveries.NextAttemptAtAsync(Id);
        if (next is null)
        {
            await UnscheduleAsync();
            return;
        }

        var wait = next.Value - time.GetUtcNow();
        if (wait < TimeSpan.Zero)
        {
            wait = TimeSpan.Zero;
        }

        var period = reminderOptions.Value.MinimumReminderPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, wait > period ? wait : period, period);
        if (wait <= period)
        {
            _timer?.Dispose();
            _timer = this.RegisterGrainTimer(_ => DeliverDueAsync(), new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { KeepAlive = true });
        }
    }

    private async Task UnscheduleAsync()
    {
        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private async Task<WebhookRow> LoadAsync() =>
        await store.GetAsync(Id) ?? throw new NotFoundException("No such webhook registration.");

    private async Task<WebhookRegistration> SaveAsync(WebhookRow row)
    {
        var saved = Bump(row, time.GetUtcNow());
        await store.UpdateAsync(saved);
        return await ViewAsync(saved);
    }

    private static WebhookRow Bump(WebhookRow row, DateTimeOffset at) => row with { Version = row.Version + 1, UpdatedAt = at };

    private async Task<WebhookRegistration> ViewAsync(WebhookRow row) => row.ToView(await store.NoticesAsync(Id), time.GetUtcNow());

    private static IReadOnlyList<string>? ValidEventTypes(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0)
        {
            return null;
        }

        foreach (var type in types)
        {
            if (!WebhookEventTypes.Subscribable.Contains(type))
            {
                throw new ValidationException("eventTypes",
                    $"eventTypes: '{Truncate(type)}' is not an event type; use {string.Join(", ", WebhookEventTypes.Subscribable)}.");
            }
        }

        return types.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static IReadOnlyList<string> ValidAlgorithms(IReadOnlyList<string>? algorithms)
    {
        foreach (var algorithm in algorithms ?? [])
        {
            if (algorithm is not (WebhookSignatureAlgorithms.HmacSha256 or WebhookSignatureAlgorithms.Ed25519))
            {
                throw new ValidationException("signatureAlgorithms", $"signatureAlgorithms: '{Truncate(algorithm)}' is not supported; use hmac-sha256 and optionally ed25519.");
            }
        }

        // HMAC always signs (every Standard Webhooks verifier knows it); Ed25519 is added beside it on request.
        return (algorithms ?? []).Contains(WebhookSignatureAlgorithms.Ed25519)
            ? [WebhookSignatureAlgorithms.HmacSha256, WebhookSignatureAlgorithms.Ed25519]
            : [WebhookSignatureAlgorithms.HmacSha256];
    }

    private static string? ValidDescription(string? description) =>
        description is { Length: > MaxDescription }
            ? throw new ValidationException("description", $"description must be at most {MaxDescription} characters.")
            : description;

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    /// <summary>One id per tenant: a repeated teardown step finds the delivery it already made.</summary>
    private static Guid TenantDeletedEventId(string tenantId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("tenant.deleted\n" + tenantId)).AsSpan(0, 16);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook registration {RegistrationId}: delivery step failed; the reminder retries")]
    private static partial void LogDeliveryFailed(ILogger logger, string registrationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook registration {RegistrationId} disabled after {Failures} consecutive failures")]
    private static partial void LogDisabled(ILogger logger, string registrationId, int failures);
}
