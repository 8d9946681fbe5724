namespace Vectros.Grains.Abstractions.Accounts;

/// <summary>Input to create a partner account.</summary>
public sealed record CreatePartnerCommand(string Name);

/// <summary>A root key as issued: the raw key is shown once and never stored.</summary>
public sealed record IssuedRootKey(string KeyId, string RawKey);

/// <summary>Result of creating a partner: its two tenants and one root key for each.</summary>
public sealed record PartnerCreated(
    Guid PartnerId,
    string Name,
    string LiveTenantId,
    string TestTenantId,
    IssuedRootKey LiveKey,
    IssuedRootKey TestKey);
