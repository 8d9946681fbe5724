using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Vectros.ApiFrontend.Auth;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Security;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Opaque list cursors (API-DELTA §1 "Cursors", SDK CL 0.38): the grain's own cursor, sealed with AES-256-GCM
/// under a key derived (HKDF-SHA256) from <c>Vectros:Security:MasterKey</c>, together with a digest of the query
/// it belongs to: method, route pattern and route values, tenant, context and every query (and, for a POST
/// lookup, body) parameter except <c>startFrom</c>. A cursor replayed with other parameters, forged, truncated,
/// or a raw grain/row-id cursor is a 400 naming <c>startFrom</c>. Every silo derives the same key, so a cursor
/// turns pages on any front end of the cluster; the grains keep their inner cursor format.
/// <para>How a list route uses it (touch nothing else in the handler):</para>
/// <code>
/// // GET: startFrom from the query string; every other query parameter is part of the digest.
/// var startFrom = ListCursors.Unwrap(context);
/// // POST with a body: pass the body's startFrom and the parsed body without it (serialized for the digest).
/// var startFrom = ListCursors.Unwrap(context, body.StartFrom, body with { StartFrom = null });
/// var page = await grain.ListAsync(..., startFrom, ...);          // the grain sees its own cursor only
/// return TypedResults.Ok(new PageResponse&lt;T&gt;(items, ListCursors.Wrap(context, page.NextCursor)));
/// </code>
/// <para>
/// Then add the route to <c>Routes</c> in <c>tests/Api.Tests/CursorTests.cs</c>: its route walk fails for any
/// <c>list*</c>/<c>lookup*</c> route it does not know. The <c>/versions</c> routes do NOT use this class: they
/// keep their row-id cursors (CL 0.38), which rejects a list cursor as a malformed row id.
/// </para>
/// </summary>
public sealed class ListCursors
{
    /// <summary>The query parameter (and lookup body field) that carries the cursor.</summary>
    public const string Parameter = "startFrom";

    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int DigestSize = 32;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    /// <summary>Far above any cursor this server issues; refuses work on absurd input before decoding it.</summary>
    private const int MaxCursorLength = 8192;

    private static readonly byte[] _purpose = "vectros/list-cursor/v1"u8.ToArray();

    private readonly byte[] _key;

    public ListCursors(IOptions<SecurityOptions> options)
    {
        _key = DeriveKey(options.Value.MasterKey)
            ?? throw new InvalidOperationException("Vectros:Security:MasterKey is not configured: list cursors are sealed with a key derived from it.");
    }

    /// <summary>
    /// The grain cursor of a GET list route's <c>startFrom</c> (null on the first page), after checking it was issued for
    /// this exact query. Remembers the query's digest for <see cref="Wrap"/>.
    /// </summary>
    public static string? Unwrap(HttpContext context) =>
        Unwrap(context, context.Request.Query[Parameter].ToString(), canonicalBody: null);

    /// <summary>
    /// As <see cref="Unwrap(HttpContext)"/> for a route that reads <c>startFrom</c> from its body:
    /// <paramref name="canonicalBody"/> is the parsed body without its cursor (e.g. <c>body with { StartFrom = null }</c>).
    /// </summary>
    public static string? Unwrap(HttpContext context, string? startFrom, object? canonicalBody)
    {
        var cursors = context.RequestServices.GetRequiredService<ListCursors>();
        var digest = QueryDigest(context, canonicalBody);
        context.Items[typeof(ListCursors)] = digest;
        return string.IsNullOrEmpty(startFrom) ? null : cursors.Open(startFrom, digest);
    }

    /// <summary>The opaque <c>nextCursor</c> for a grain's cursor (null stays null: the last page).</summary>
    public static string? Wrap(HttpContext context, string? inner)
    {
        if (inner is null)
        {
            return null;
        }

        // A route that wraps without unwrapping would hand out cursors no request can redeem: fail loudly in tests.
        var digest = context.Items[typeof(ListCursors)] as byte[]
            ?? throw new InvalidOperationException("ListCursors.Wrap needs ListCursors.Unwrap earlier in the same request.");
        return context.RequestServices.GetRequiredService<ListCursors>().Seal(inner, digest);
    }

    private string Seal(string inner, byte[] digest)
    {
        var plain = new byte[DigestSize + Encoding.UTF8.GetByteCount(inner)];
        digest.CopyTo(plain, 0);
        Encoding.UTF8.GetBytes(inner, plain.AsSpan(DigestSize));

        var sealedBytes = new byte[HeaderSize + plain.Length];
        sealedBytes[0] = FormatVersion;
        var nonce = sealedBytes.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(HeaderSize), sealedBytes.AsSpan(1 + NonceSize, TagSize), _purpose);
        return Base64Url.EncodeToString(sealedBytes);
    }

    private string Open(string token, byte[] digest)
    {
        var plain = TryOpen(token) ?? throw Invalid();
        if (!CryptographicOperations.FixedTimeEquals(plain.AsSpan(0, DigestSize), digest))
        {
            throw new ValidationException(Parameter,
                "startFrom belongs to a different query: keep every other parameter identical while paging, or omit startFrom to start again.");
        }

        return Encoding.UTF8.GetString(plain.AsSpan(DigestSize));
    }

    private byte[]? TryOpen(string token)
    {
        if (token.Length > MaxCursorLength || !Base64Url.IsValid(token.AsSpan(), out var length) || length < HeaderSize + DigestSize)
        {
            return null;
        }

        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes[0] != FormatVersion)
        {
            return null;
        }

        var plain = new byte[bytes.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(bytes.AsSpan(1, NonceSize), bytes.AsSpan(HeaderSize), bytes.AsSpan(1 + NonceSize, TagSize), plain, _purpose);
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static ValidationException Invalid() => new(Parameter,
        "startFrom is not a cursor this server issued for this list: pass back the nextCursor of the previous page unchanged, or omit startFrom to start again.");

    /// <summary>
    /// SHA-256 over a length-prefixed canonical form of the query: order-insensitive in query keys (which ASP.NET Core
    /// reads case-insensitively), order-preserving in repeated values, and the body as the server parsed it.
    /// </summary>
    private static byte[] QueryDigest(HttpContext context, object? canonicalBody)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The operator-guarded portal (/developer/*) has no principal: its cursors bind to the route and query alone
        // (the partner and environment are query parameters there).
        var principal = context.Items[typeof(Principal)] as Principal;
        var endpoint = context.GetEndpoint() as RouteEndpoint;
        Append(hash, context.Request.Method);
        Append(hash, endpoint?.RoutePattern.RawText ?? context.Request.Path.Value ?? "");
        Append(hash, principal?.TenantId ?? "operator:");
        Append(hash, principal?.ContextId ?? "");

        foreach (var (name, value) in context.Request.RouteValues.OrderBy(v => v.Key, StringComparer.OrdinalIgnoreCase))
        {
            Append(hash, "route:" + name.ToLowerInvariant());
            Append(hash, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        var query = context.Request.Query
            .Where(p => !string.Equals(p.Key, Parameter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in query)
        {
            Append(hash, "query:" + name.ToLowerInvariant());
            Append(hash, values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var value in values)
            {
                Append(hash, value ?? "");
            }
        }

        if (canonicalBody is not null)
        {
            Append(hash, "body");
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(canonicalBody, canonicalBody.GetType(), ApiJson.Response));
        }

        return hash.GetHashAndReset();
    }

    private static void Append(IncrementalHash hash, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    internal static byte[]? DeriveKey(string? masterKey) => SecurityOptions.DeriveKey(masterKey, _purpose);
}

/// <summary>Registration of <see cref="ListCursors"/>.</summary>
public static class ListCursorsServiceCollectionExtensions
{
    /// <summary>Registers the cursor sealer; the master key is checked at start-up in client mode as in silo mode.</summary>
    public static IServiceCollection AddListCursors(this IServiceCollection services)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section)
            .Validate(o => ListCursors.DeriveKey(o.MasterKey) is not null,
                "Vectros:Security:MasterKey must be the base64 encoding of 32 random bytes: list cursors are sealed with a key derived from it.")
            .ValidateOnStart();
        services.AddSingleton<ListCursors>();
        return services;
    }
}
