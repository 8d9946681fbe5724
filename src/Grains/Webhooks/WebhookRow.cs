using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.Grains.Webhooks;

/// <summary>A <c>webhook_registrations</c> row, secrets still sealed.</summary>
internal sealed record WebhookRow(
    string Id,
    string TenantId,
    Guid PartnerId,
    string Environment,
    string Url,
    IReadOnlyList<string> EventTypes,
    string? Description,
    IReadOnlyList<string> SignatureAlgorithms,
    string Status,
    string? DisabledReason,
    DateTimeOffset? DisabledAt,
    int ConsecutiveFailures,
    DateTimeOffset? FirstFailureAt,
    string SecretEnc,
    string? PreviousSecretEnc,
    DateTimeOffset? PreviousSecretUntil,
    string? Ed25519PrivateEnc,
    string? Ed25519PublicKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Version)
{
    public const string Active = "active";
    public const string Disabled = "disabled";

    public bool IsActive => Status == Active;

    public WebhookRegistration ToView(IReadOnlyList<WebhookNotice> notices, DateTimeOffset now) => new(
        Id, PartnerId, Environment, TenantId, Url, EventTypes, Description, SignatureAlgorithms, Status, DisabledReason, DisabledAt,
        ConsecutiveFailures, Ed25519PublicKey, PreviousSecretUntil > now ? PreviousSecretUntil : null, CreatedAt, UpdatedAt, notices);
}
