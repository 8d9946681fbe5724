using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Security;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// The self-authenticating URLs of document files (spec L2246, L2149): <c>PUT /files/uploads/{token}</c> takes an
/// upload's bytes and <c>GET /files/downloads/{token}</c> serves a stored file, neither with an Authorization header.
/// A token is <c>base64url(grant).base64url(HMAC-SHA256(grant))</c> under a key derived (HKDF-SHA256) from
/// <c>Vectros:Security:MasterKey</c>, so every front end of a cluster verifies what any of them signed. The grant
/// names the tenant, context, document, upload ticket, expiry, size bound and file type; changing any byte of the
/// token breaks the signature. Expiry is checked here and again against the ticket row (which also makes an upload
/// single-use). The URLs sit outside <c>/v1</c>, so the credential middleware and the API description leave them alone.
/// </summary>
public sealed class FileUrls
{
    public const string UploadRoute = "/files/uploads";
    public const string DownloadRoute = "/files/downloads";

    private const string UploadKind = "upload";
    private const string DownloadKind = "download";

    /// <summary>Far above any token this server issues; refuses work on absurd input before decoding it.</summary>
    private const int MaxTokenLength = 4096;

    private static readonly byte[] _purpose = "vectros/file-url/v1"u8.ToArray();

    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly string? _publicBase;

    public FileUrls(IOptions<SecurityOptions> options, IOptions<ApiOptions> api, TimeProvider time)
    {
        _publicBase = api.Value.PublicBaseUrl?.TrimEnd('/');
        _key = SecurityOptions.DeriveKey(options.Value.MasterKey, _purpose)
            ?? throw new InvalidOperationException("Vectros:Security:MasterKey is not configured: file URLs are signed with a key derived from it.");
        _time = time;
    }

    /// <summary>Where the bytes of an upload go: an absolute URL on this server.</summary>
    public string UploadUrl(HttpRequest request, string tenantId, string contextId, UploadTicket ticket, string fileType) =>
        Absolute(request, UploadRoute, Seal(new FileGrant(UploadKind, tenantId, contextId, ticket.DocumentId, ticket.TicketId,
            ticket.ExpiresAt.ToUnixTimeMilliseconds(), ticket.MaxBytes, fileType)));

    /// <summary>Where a stored file is served from, until <see cref="DocumentDownload.ExpiresAt"/>.</summary>
    public string DownloadUrl(HttpRequest request, string tenantId, string contextId, DocumentDownload download) =>
        Absolute(request, DownloadRoute, Seal(new FileGrant(DownloadKind, tenantId, contextId, download.DocumentId, null,
            download.ExpiresAt.ToUnixTimeMilliseconds(), 0, download.FileType)));

    /// <summary>The grant of an upload token; 403 when forged, tampered, of another kind or expired.</summary>
    public FileGrant OpenUpload(string token) => Open(token, UploadKind);

    /// <summary>The grant of a download token; 403 when forged, tampered, of another kind or expired.</summary>
    public FileGrant OpenDownload(string token) => Open(token, DownloadKind);

    private FileGrant Open(string token, string kind)
    {
        var grant = Verify(token) is { } g && g.Kind == kind && (g.TicketId is not null) == (kind == UploadKind)
            ? g
            : throw new ForbiddenException("The URL's signature does not match: it was altered or was not issued by this server.", "INVALID_SIGNATURE");
        if (_time.GetUtcNow().ToUnixTimeMilliseconds() >= grant.ExpiresAt)
        {
            throw new ForbiddenException(kind == UploadKind
                ? "The upload URL has expired; start a new upload with POST /v1/documents/upload."
                : "The download URL has expired; get a new one with GET /v1/documents/{id}/download.", "URL_EXPIRED");
        }

        return grant;
    }

    private string Seal(FileGrant grant)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(grant, FileGrantJson.Default.FileGrant);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
    }

    private FileGrant? Verify(string token)
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
            return JsonSerializer.Deserialize(payload, FileGrantJson.Default.FileGrant);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string Absolute(HttpRequest request, string route, string token) =>
        _publicBase is { } configured
            ? $"{configured}{route}/{token}"
            : $"{request.Scheme}://{request.Host}{request.PathBase}{route}/{token}";

}

/// <summary>What a signed file URL allows: one kind of access to one document's file, until <see cref="ExpiresAt"/> (epoch ms).</summary>
public sealed record FileGrant(
    [property: JsonPropertyName("k")] string Kind,
    [property: JsonPropertyName("t")] string TenantId,
    [property: JsonPropertyName("c")] string ContextId,
    [property: JsonPropertyName("d")] Guid DocumentId,
    [property: JsonPropertyName("i")] Guid? TicketId,
    [property: JsonPropertyName("e")] long ExpiresAt,
    [property: JsonPropertyName("m")] long MaxBytes,
    [property: JsonPropertyName("f")] string? FileType)
{
    /// <summary>The grain key of the document the grant is about.</summary>
    public string DocumentKey => $"{TenantId}#{ContextId}#{DocumentId}";
}

[JsonSerializable(typeof(FileGrant))]
internal sealed partial class FileGrantJson : JsonSerializerContext;

/// <summary>Registration of <see cref="FileUrls"/>.</summary>
public static class FileUrlsServiceCollectionExtensions
{
    public static IServiceCollection AddFileUrls(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FileUrls>();
        return services;
    }
}
