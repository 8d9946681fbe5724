using Orleans;

namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Input to create a partner account.</summary>
[GenerateSerializer, Alias("vectros.CreatePartnerCommand")]
public sealed record CreatePartnerCommand([property: Id(0)] string Name);

/// <summary>A root key as issued: the raw key is shown once and never stored.</summary>
[GenerateSerializer, Immutable, Alias("vectros.IssuedRootKey")]
public sealed record IssuedRootKey([property: Id(0)] string KeyId, [property: Id(1)] string RawKey);

/// <summary>Result of creating a partner: its two tenants and one root key for each.</summary>
[GenerateSerializer, Immutable, Alias("vectros.PartnerCreated")]
public sealed record PartnerCreated(
    [property: Id(0)] Guid PartnerId,
    [property: Id(1)] string Name,
    [property: Id(2)] string LiveTenantId,
    [property: Id(3)] string TestTenantId,
    [property: Id(4)] IssuedRootKey LiveKey,
    [property: Id(5)] IssuedRootKey TestKey);
