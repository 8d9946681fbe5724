using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans;
using Vectros.Grains.Abstractions.Domains;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Signed developer-portal calls (issue #11 item 10). A call that changes something may carry
/// <c>X-Vectros-Timestamp</c> (unix seconds), <c>X-Vectros-Nonce</c> (16-128 of [A-Za-z0-9_-]) and
/// <c>X-Vectros-Portal-Signature: v1=&lt;hex HMAC-SHA256&gt;</c>, keyed by the operator token's UTF-8 bytes, over
/// <c>"{timestamp}.{nonce}.{METHOD}.{path and query}.{hex SHA-256 of the body}"</c>. A bad signature or a timestamp
/// more than 5 minutes off is 401; a nonce seen before is 409 <c>REPLAYED_REQUEST</c>; either way the handler never
/// runs, so nothing is written. With <see cref="ApiOptions.RequireSignedPortalCalls"/> an unsigned call is 401 too.
/// </summary>
public sealed class PortalRequestSigning(RequestDelegate next)
{
    public const string TimestampHeader = "X-Vectros-Timestamp";
    public const string NonceHeader = "X-Vectros-Nonce";
    public const string SignatureHeader = "X-Vectros-Portal-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public async Task InvokeAsync(HttpContext context, IOptions<ApiOptions> options, IGrainFactory grains, TimeProvider time)
    {
        var request = context.Request;
        var token = options.Value.OperatorToken;
        if (!request.Path.StartsWithSegments("/developer") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method) || string.IsNullOrEmpty(token))
        {
            await next(context);
            return;
        }

        var signature = request.Headers[SignatureHeader].ToString();
        if (signature.Length == 0)
        {
            if (options.Value.RequireSignedPortalCalls)
            {
                throw new UnauthorizedException($"Developer-portal calls that change something must be signed ({SignatureHeader}, {TimestampHeader}, {NonceHeader}).");
            }

            await next(context);
            return;
        }

        var timestamp = request.Headers[TimestampHeader].ToString();
        var nonce = request.Headers[NonceHeader].ToString();
        if (!long.TryParse(timestamp, out var seconds) || nonce.Length is < 16 or > 128
            || !nonce.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new UnauthorizedException($"A signed portal call needs {TimestampHeader} (unix seconds) and {NonceHeader} (16-128 of A-Z a-z 0-9 - _).");
        }

        request.EnableBuffering();
        var bodyHash = Convert.ToHexStringLower(await SHA256.HashDataAsync(request.Body, context.RequestAborted));
        request.Body.Position = 0;
        var expected = Sign(token, timestamp, nonce, request.Method, request.Path + request.QueryString, bodyHash);
        var given = signature.StartsWith("v1=", StringComparison.Ordinal) ? signature[3..] : "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(given.ToLowerInvariant())))
        {
            throw new UnauthorizedException("The portal call's signature does not match.");
        }

        if ((time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799))).Duration() > Tolerance)
        {
            throw new UnauthorizedException("The portal call's timestamp is more than 5 minutes off.");
        }

        if (!await grains.GetGrain<IPortalNonceGrain>(0).TryUseAsync(nonce))
        {
            throw new ConflictException("REPLAYED_REQUEST", "This signed portal call was already received (its nonce is used); sign the call again with a new nonce.");
        }

        await next(context);
    }

    /// <summary>The hex signature of a call (also what a client computes).</summary>
    public static string Sign(string operatorToken, string timestamp, string nonce, string method, string pathAndQuery, string bodySha256Hex) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(operatorToken),
            Encoding.UTF8.GetBytes($"{timestamp}.{nonce}.{method.ToUpperInvariant()}.{pathAndQuery}.{bodySha256Hex}")));
}
