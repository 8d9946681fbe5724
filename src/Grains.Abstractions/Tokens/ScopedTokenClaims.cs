namespace Vectros.Grains.Abstractions.Tokens;

/// <summary>
/// The JWT of an <c>st_</c> token: header <c>{alg: ES256, typ: st+jwt, kid}</c>; registered claims iss, aud, sub
/// (the user, when there is one), iat, nbf, exp, jti; and these private claims. The signature covers all of them,
/// so the tenant a token acts in cannot be forged.
/// </summary>
public static class ScopedTokenClaims
{
    /// <summary>The raw credential prefix; what follows it is the compact JWS.</summary>
    public const string Prefix = "st_";

    /// <summary>The JOSE <c>typ</c> header: keeps other platform-signed JWTs (e.g. invite tokens) from passing as <c>st_</c>.</summary>
    public const string Type = "st+jwt";

    public const string Algorithm = "ES256";
    public const string Audience = "vectros-api";

    /// <summary>Longest and default lifetime (API-DELTA §8.7: max 3600, also the default).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(1);

    public const string TenantId = "tenantId";
    public const string Environment = "environment";
    public const string ContextId = "contextId";
    public const string UserId = "userId";
    public const string AllowedActions = "allowedActions";
    public const string DataScope = "dataScope";
    public const string Identity = "identity";
    public const string MintedBy = "mintedBy";

    /// <summary>Optional: the clause capabilities a token carries (API-DELTA §8.4); absent means none.</summary>
    public const string GrantedCapabilities = "grantedCapabilities";

    /// <summary>Every clause of the profile a token carries whole (JSON as profiles store them); absent on one-clause tokens.</summary>
    public const string Clauses = "clauses";
}
