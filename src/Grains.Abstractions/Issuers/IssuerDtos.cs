using Orleans;
using Vectros.Grains.Abstractions.Accounts;

namespace Vectros.Grains.Abstractions.Issuers;

/// <summary>A self-signup policy: a new user signing in with <see cref="SignupType"/> gets an access profile with <see cref="RoleId"/>.</summary>
[GenerateSerializer, Immutable, Alias("vectros.SignupPolicy")]
public sealed record SignupPolicy([property: Id(0)] string SignupType, [property: Id(1)] string RoleId);

/// <summary>An external OpenID issuer registered for one app context (API-DELTA §8.7 IssuerResponse).</summary>
[GenerateSerializer, Immutable, Alias("vectros.IssuerView")]
public sealed record IssuerView(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string IssuerId,
    [property: Id(2)] string ContextId,
    [property: Id(3)] TenantEnvironment Environment,
    [property: Id(4)] string Issuer,
    [property: Id(5)] string JwksUri,
    [property: Id(6)] string Audience,
    [property: Id(7)] string SubClaim,
    [property: Id(8)] string EmailClaim,
    [property: Id(9)] IReadOnlyList<SignupPolicy> SelfSignupPolicies,
    [property: Id(10)] string Status,
    [property: Id(11)] DateTimeOffset CreatedAt);

/// <summary>A registration, shape-checked by the front end (ids, https, defaults applied).</summary>
[GenerateSerializer, Immutable, Alias("vectros.IssuerWrite")]
public sealed record IssuerWrite(
    [property: Id(0)] string IssuerId,
    [property: Id(1)] string ContextId,
    [property: Id(2)] string Issuer,
    [property: Id(3)] string JwksUri,
    [property: Id(4)] string Audience,
    [property: Id(5)] string SubClaim,
    [property: Id(6)] string EmailClaim,
    [property: Id(7)] IReadOnlyList<SignupPolicy> SelfSignupPolicies);

[GenerateSerializer, Immutable, Alias("vectros.IssuerCreateResult")]
public sealed record IssuerCreateResult([property: Id(0)] IssuerView Issuer, [property: Id(1)] bool Created);

[GenerateSerializer, Immutable, Alias("vectros.IssuerPage")]
public sealed record IssuerPage([property: Id(0)] IReadOnlyList<IssuerView> Data, [property: Id(1)] string? NextCursor);

/// <summary>
/// A verified ID token's subject asking for a token (RFC 8693 exchange): the front end has checked the signature,
/// issuer, audience and expiry against <see cref="IssuerId"/>'s keys. <see cref="SignupType"/> picks a self-signup policy.
/// </summary>
[GenerateSerializer, Immutable, Alias("vectros.ExternalSignIn")]
public sealed record ExternalSignIn(
    [property: Id(0)] string IssuerId,
    [property: Id(1)] string Subject,
    [property: Id(2)] string? Email,
    [property: Id(3)] string? SignupType,
    [property: Id(4)] string? InviteToken = null);
