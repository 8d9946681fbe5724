using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.Auth;

/// <summary>
/// Every <c>/v1</c> request must carry a valid credential: 401 otherwise, before any handler runs.
/// A client address with too many failures gets 429 before any lookup (<see cref="FailedAuthLimiter"/>).
/// </summary>
public sealed class AuthenticationMiddleware(
    RequestDelegate next, CredentialAuthenticator authenticator, FailedAuthLimiter limiter, TenantRevocations revocations)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsApiRequest(context) || IsCredentialFree(context))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var address = context.Connection.RemoteIpAddress;
        var fingerprint = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(header)));
        if (limiter.Refusal(address, fingerprint) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await ErrorResponses.WriteAsync(
                context, StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                $"Too many failed authentications from this address; retry after {seconds} s.", keepHeaders: true);
            return;
        }

        var principal = header.Length == 0 ? null : await authenticator.AuthenticateAsync(header);
        if (principal is not null && revocations.IsRevoked(principal.TenantId))
        {
            // A tenant being torn down: its cached principals must not outlive the decision (issue #11 item 7).
            principal = null;
        }

        if (principal is null)
        {
            limiter.RecordFailure(address);
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ErrorResponses.WriteAsync(
                context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                header.Length == 0 ? "An Authorization: Bearer credential is required." : "The credential is not valid.",
                keepHeaders: true);
            return;
        }

        limiter.RecordSuccess(address, fingerprint);
        context.Items[typeof(Principal)] = principal;
        await next(context);
    }

    /// <summary>
    /// Whether the request is for the credentialed API. Routing matches paths case-insensitively and Kestrel has
    /// already decoded percent-escapes and removed dot segments, so the check must be at least as lenient as routing:
    /// the first non-empty segment is <c>v1</c> in any letter case (which also covers <c>//v1/…</c>), or the endpoint
    /// routing chose is a <c>/v1</c> route whatever spelling reached it, or a call to a <c>vectros.v1</c> gRPC service.
    /// Any one demands a credential.
    /// </summary>
    internal static bool IsApiRequest(HttpContext context)
    {
        return FirstSegmentIsV1((context.Request.PathBase + context.Request.Path).Value)
            || Grpc.GrpcCalls.IsVectrosCall(context)
            || (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: var pattern } && FirstSegmentIsV1(pattern));
    }

    /// <summary>
    /// The token exchange (RFC 8693) is the one <c>/v1</c> endpoint without a credential: the ID token in its body is the
    /// proof, and it applies the failed-authentication limiter itself. Decided by the endpoint routing chose (it matched
    /// the path case-insensitively), so no other route and no other method on that path is let through.
    /// </summary>
    internal static bool IsCredentialFree(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Endpoints.CredentialFreeEndpoint>() is not null;

    private static bool FirstSegmentIsV1(string? path)
    {
        var segment = (path ?? "").AsSpan().TrimStart('/');
        var end = segment.IndexOf('/');
        return (end < 0 ? segment : segment[..end]).Equals("v1", StringComparison.OrdinalIgnoreCase);
    }
}
