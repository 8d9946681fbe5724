using Orleans;

namespace Vectros.Grains.Abstractions.Webhooks;

/// <summary>The event types a registration can subscribe to (issue #11 item 2), and the ones it gets regardless.</summary>
public static class WebhookEventTypes
{
    public static readonly IReadOnlyList<string> Subscribable = ["document.indexed", "document.failed", "record.indexed", "record.failed"];

    /// <summary>Sent to every registration of a tenant being torn down, whatever it subscribed to.</summary>
    public const string TenantDeleted = "tenant.deleted";

    /// <summary>A notice recorded (never delivered to the endpoint it is about) when a registration is auto-disabled.</summary>
    public const string EndpointDisabled = "endpoint.disabled";
}

/// <summary>Signature schemes: <c>hmac-sha256</c> (always) and <c>ed25519</c> (on request).</summary>
public static class WebhookSignatureAlgorithms
{
    public const string HmacSha256 = "hmac-sha256";
    public const string Ed25519 = "ed25519";
}

[GenerateSerializer, Immutable, Alias("vectros.CreateWebhookCommand")]
public sealed record CreateWebhookCommand(
    [property: Id(0)] string TenantId,
    [property: Id(1)] Guid PartnerId,
    [property: Id(2)] string Environment,
    [property: Id(3)] string Url,
    [property: Id(4)] IReadOnlyList<string> EventTypes,
    [property: Id(5)] string? Description,
    [property: Id(6)] IReadOnlyList<string> SignatureAlgorithms);

/// <summary>A PATCH: null leaves a field as it is.</summary>
[GenerateSerializer, Immutable, Alias("vectros.UpdateWebhookCommand")]
public sealed record UpdateWebhookCommand(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string>? EventTypes,
    [property: Id(2)] string? Description);

/// <summary>A registration as the portal shows it: never its secrets.</summary>
[GenerateSerializer, Immutable, Alias("vectros.WebhookRegistration")]
public sealed record WebhookRegistration(
    [property: Id(0)] string Id,
    [property: Id(1)] Guid PartnerId,
    [property: Id(2)] string Environment,
    [property: Id(3)] string TenantId,
    [property: Id(4)] string Url,
    [property: Id(5)] IReadOnlyList<string> EventTypes,
    [property: Id(6)] string? Description,
    [property: Id(7)] IReadOnlyList<string> SignatureAlgorithms,
    [property: Id(8)] string Status,
    [property: Id(9)] string? DisabledReason,
    [property: Id(10)] DateTimeOffset? DisabledAt,
    [property: Id(11)] int ConsecutiveFailures,
    [property: Id(12)] string? Ed25519PublicKey,
    [property: Id(13)] DateTimeOffset? PreviousSecretExpiresAt,
    [property: Id(14)] DateTimeOffset CreatedAt,
    [property: Id(15)] DateTimeOffset UpdatedAt,
    [property: Id(16)] IReadOnlyList<WebhookNotice> Notices);

/// <summary>The answer to a create or a rotation: the registration and its new secret, shown this once.</summary>
[GenerateSerializer, Immutable, Alias("vectros.WebhookWithSecret")]
public sealed record WebhookWithSecret(
    [property: Id(0)] WebhookRegistration Registration,
    [property: Id(1)] string Secret);

[GenerateSerializer, Immutable, Alias("vectros.WebhookNotice")]
public sealed record WebhookNotice(
    [property: Id(0)] string Type,
    [property: Id(1)] string Reason,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>One delivery attempt (issue #11 item 5: time, status, latency, resolved address, error); id <c>att_…</c>.</summary>
[GenerateSerializer, Immutable, Alias("vectros.WebhookAttempt")]
public sealed record WebhookAttempt(
    [property: Id(0)] string Id,
    [property: Id(1)] string EventId,
    [property: Id(2)] string EventType,
    [property: Id(3)] int AttemptNumber,
    [property: Id(4)] DateTimeOffset AttemptedAt,
    [property: Id(5)] int? StatusCode,
    [property: Id(6)] bool Succeeded,
    [property: Id(7)] long LatencyMs,
    [property: Id(8)] string? ResolvedAddress,
    [property: Id(9)] string? Error);

[GenerateSerializer, Immutable, Alias("vectros.WebhookPage")]
public sealed record WebhookPage<T>(
    [property: Id(0)] IReadOnlyList<T> Items,
    [property: Id(1)] string? NextCursor);

[GenerateSerializer, Immutable, Alias("vectros.WebhookRecovery")]
public sealed record WebhookRecovery([property: Id(0)] int Requeued);
