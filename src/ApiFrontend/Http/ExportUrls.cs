using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Exports;
using Vectros.Grains.Security;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// The presigned download URLs of exports: <c>GET /files/exports/{token}</c>, served with no Authorization header.
/// Like <see cref="FileUrls"/>, a token is <c>base64url(grant).base64url(HMAC-SHA256(grant))</c> under a key derived
/// (HKDF-SHA256) from <c>Vectros:Security:MasterKey</c> with a purpose of its own, so a document URL can never open an
/// export. The grant names the tenant, the job and the expiry (<c>Vectros:Exports:UrlLifetime</c>, default 1 h); a
/// tampered, forged or expired token is a 403 and nothing is served.
/// </summary>
public sealed class ExportUrls
{
    public const string Route = "/files/exports";

    private const int MaxTokenLength = 1024;

    private static readonly byte[] _purpose = "vectros/export-url/v1"u8.ToArray();

    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly string? _publicBase;

    public ExportUrls(IOptions<SecurityOptions> security, IOptions<ApiOptions> api, IOptions<ExportOptions> exports, TimeProvider time)
    {
        _publicBase = api.Value.PublicBaseUrl?.TrimEnd('/');
        _key = SecurityOptions.DeriveKey(security.Value.MasterKey, _purpose)
            ?? throw new InvalidOperationException("Vectros:Security:MasterKey is not configured: export URLs are signed with a key derived from it.");
        _lifetime = exports.Value.UrlLifetime;
        _time = time;
    }

    /// <summary>A fresh URL for a completed job, valid for the configured lifetime (never past the job's retention).</summary>
    public (string Url, DateTimeOffset ExpiresAt) Issue(HttpRequest request, string tenantId, string exportId, DateTimeOffset? retainUntil)
    {
        var expires = _time.GetUtcNow() + _lifetime;
        if (retainUntil is { } until && until < expires)
        {
            expires = until;
        }

        var payload = JsonSerializer.SerializeToUtf8Bytes(new ExportGrant(tenantId, exportId, expires.ToUnixTimeMilliseconds()), ExportGrantJson.Default.ExportGrant);
        var token = Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
        var url = _publicBase is { } configured
            ? $"{configured}{Route}/{token}"
            : $"{request.Scheme}://{request.Host}{request.PathBase}{Route}/{token}";
        return (url, DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds()));
    }

    /// <summary>The grant of a token; 403 when forged, tampered or expired.</summary>
    public ExportGrant Open(string token)
    {
        var grant = Verify(token)
            ?? throw new ForbiddenException("The URL's signature does not match: it was altered or was not issued by this server.", "INVALID_SIGNATURE");
        if (_time.GetUtcNow().ToUnixTimeMilliseconds() >= grant.ExpiresAt)
        {
            throw new ForbiddenException("The download URL has expired; get a new one with GET /v1/admin/export/{id}.", "URL_EXPIRED");
        }

        return grant;
    }

    private ExportGrant? Verify(string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > MaxTokenLength || dot <= 0 || !Base64Url.IsValid(token.AsSpan(0, dot)) || !Base64Url.IsValid(token.AsSpan(dot + 1)))
        {
            return null;
        }

        var payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
        var signature = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(_key, payload)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(payload, ExportGrantJson.Default.ExportGrant);
        }
        catch (JsonException)
        {
            return null;
        }
    }

}

/// <summary>What an export URL allows: reading one job's payload until <see cref="ExpiresAt"/> (epoch ms).</summary>
public sealed record ExportGrant(
    [property: JsonPropertyName("t")] string TenantId,
    [property: JsonPropertyName("x")] string ExportId,
    [property: JsonPropertyName("e")] long ExpiresAt);

[JsonSerializable(typeof(ExportGrant))]
internal sealed partial class ExportGrantJson : JsonSerializerContext;
