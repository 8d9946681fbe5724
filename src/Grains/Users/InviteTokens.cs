using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Vectros.Grains.Security;

namespace Vectros.Grains.Users;

/// <summary>
/// Signed invitation tokens (<c>inv_…</c>, API-DIGEST §1.2): <c>inv_</c> + <c>base64url(grant).base64url(HMAC-SHA256(grant))</c>
/// under a key derived (HKDF-SHA256) from <c>Vectros:Security:MasterKey</c> with a purpose of its own, like
/// <c>FileUrls</c>. The grant names the tenant, user, context, expiry and a random nonce (so a rotation always makes
/// a new token). Only <see cref="Hash"/> of a token is stored: the row tells which token is current, the signature
/// that this server issued it. Tokens never reach a log, an error message or a history row.
/// </summary>
public sealed class InviteTokens
{
    public const string Prefix = "inv_";

    private const int MaxTokenLength = 1024;

    private static readonly byte[] _purpose = "vectros/invite-token/v1"u8.ToArray();

    private readonly byte[] _key;

    public InviteTokens(IOptions<SecurityOptions> options)
    {
        _key = SecurityOptions.DeriveKey(options.Value.MasterKey, _purpose)
            ?? throw new InvalidOperationException("Vectros:Security:MasterKey is not configured: invitation tokens are signed with a key derived from it.");
    }

    /// <summary>A new token for the user's invitation into <paramref name="contextId"/>, valid until <paramref name="expiresAt"/>.</summary>
    public string Issue(string tenantId, Guid userId, string contextId, DateTimeOffset expiresAt)
    {
        var grant = new InviteGrant(tenantId, userId, contextId, expiresAt.ToUnixTimeMilliseconds(),
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)));
        var payload = JsonSerializer.SerializeToUtf8Bytes(grant, InviteGrantJson.Default.InviteGrant);
        return Prefix + Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The grant of a token this server signed, or null when it is malformed, forged or tampered with (expiry is the caller's check).</summary>
    public InviteGrant? Verify(string token)
    {
        if (token.Length > MaxTokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var body = token.AsSpan(Prefix.Length);
        var dot = body.IndexOf('.');
        if (dot <= 0 || !Base64Url.IsValid(body[..dot]) || !Base64Url.IsValid(body[(dot + 1)..]))
        {
            return null;
        }

        var payload = Base64Url.DecodeFromChars(body[..dot]);
        if (!CryptographicOperations.FixedTimeEquals(Base64Url.DecodeFromChars(body[(dot + 1)..]), HMACSHA256.HashData(_key, payload)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(payload, InviteGrantJson.Default.InviteGrant);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>What is stored of a token: its SHA-256.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}

/// <summary>What an invitation token grants: activating <see cref="UserId"/> of <see cref="TenantId"/> until <see cref="ExpiresAt"/> (epoch ms).</summary>
public sealed record InviteGrant(
    [property: JsonPropertyName("t")] string TenantId,
    [property: JsonPropertyName("u")] Guid UserId,
    [property: JsonPropertyName("c")] string ContextId,
    [property: JsonPropertyName("x")] long ExpiresAt,
    [property: JsonPropertyName("n")] string Nonce);

[JsonSerializable(typeof(InviteGrant))]
internal sealed partial class InviteGrantJson : JsonSerializerContext;
