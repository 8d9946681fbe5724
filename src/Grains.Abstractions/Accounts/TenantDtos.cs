using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Lifecycle of a tenant (issue #11 item 7): active until teardown starts, deleting while it runs, then deleted.</summary>
[GenerateSerializer, Alias("vectros.TenantStatus")]
public enum TenantStatus
{
    Active,
    Deleting,
    Deleted,
}

/// <summary>A tenant's teardown status; <see cref="Progress"/> counts deleted rows per step (table or purger name).</summary>
[GenerateSerializer, Immutable, Alias("vectros.TenantStatusView")]
public sealed record TenantStatusView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] Guid PartnerId,
    [property: Id(2)] TenantEnvironment Environment,
    [property: Id(3)] TenantStatus Status,
    [property: Id(4)] string? Step,
    [property: Id(5)] IReadOnlyDictionary<string, long> Progress,
    [property: Id(6)] DateTimeOffset? RequestedAt,
    [property: Id(7)] DateTimeOffset? CompletedAt);
