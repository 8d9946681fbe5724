using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.ApiFrontend.Logs;

/// <summary>
/// Records every <c>/v1</c> call (and every <c>vectros.v1</c> gRPC call) in the admin log (issue #9 item 8), refusals included: it sits outside the exception
/// handler and the authentication gate, so it sees the final status of a 401, a 403 or a 500. It keeps metadata only
/// (route template, never the raw path or query string; never a body or a credential) and hands the entry to the
/// bounded <see cref="ApiLogBuffer"/>, which never waits: logging cannot slow or fail the call it describes.
/// </summary>
public sealed class ApiCallLogMiddleware(RequestDelegate next, ApiLogBuffer buffer, TimeProvider time)
{
    /// <summary>Route text of a call that matched no endpoint (its raw path is never stored).</summary>
    public const string Unmatched = "(unmatched)";

    public async Task InvokeAsync(HttpContext context)
    {
        // gRPC calls to our services are API calls too (issue #12): logged alike, under the gRPC method's route.
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            && !(context.Request.Path.Value ?? "").StartsWith("/" + Grpc.GrpcCalls.Package + ".", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            buffer.Add(Entry(context, started, failed));
        }
    }

    private ApiCallEntry Entry(HttpContext context, long started, bool failed)
    {
        // The exception handler clears the endpoint before it writes the error; it keeps the original in its feature.
        var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        var template = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        var route = template is null ? Unmatched : "/" + template.Trim('/');
        var principal = context.Items[typeof(Principal)] as Principal;
        return new ApiCallEntry
        {
            TenantId = principal?.TenantId,
            ContextId = principal?.ContextId,
            Timestamp = time.GetUtcNow(),
            Method = context.Request.Method,
            Resource = template is null ? "other" : ApiLogResources.For(route),
            Route = route,
            // A gRPC failure travels in an HTTP 200: the log keeps the status the HTTP API would have answered.
            Status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError
                : context.Items[Grpc.GrpcStatuses.HttpStatusItem] as int? ?? context.Response.StatusCode,
            CredentialId = principal?.CredentialId,
            DurationMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            RequestId = context.TraceIdentifier,
            ErrorCode = context.Items[ErrorResponses.ErrorCodeItem] as string,
            DelegationChain = principal?.DelegationChain,
        };
    }
}
