using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.RateLimiting;

/// <summary>
/// Per-credential fixed-window limits on non-GET <c>/v1</c> operations (the spec declares 429 on all 53 of
/// them and on no GET), answered with <c>Retry-After</c>, <c>X-RateLimit-Limit</c> and
/// <c>X-RateLimit-Remaining: 0</c>. Uses ASP.NET Core's limiter; runs after authentication so it can
/// partition by credential.
/// </summary>
public static class RateLimitingExtensions
{
    public static IServiceCollection AddVectrosRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PermitsPerMinute;
                // gRPC calls are all POSTs on the wire: a method marked [GrpcWrite] is what a non-GET operation is here.
                if (limit == 0 || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                    || (Grpc.GrpcCalls.IsGrpcRequest(context) && Grpc.GrpcCalls.Write(context) is null)
                    || context.Items[typeof(Principal)] is not Principal principal)
                {
                    return RateLimitPartition.GetNoLimiter("unlimited");
                }

                return RateLimitPartition.GetFixedWindowLimiter(principal.RateLimitKey, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (ctx, ct) =>
            {
                var limit = ctx.HttpContext.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PermitsPerMinute;
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                var headers = ctx.HttpContext.Response.Headers;
                headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Remaining"] = "0";
                await ErrorResponses.WriteAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                    $"Rate limit of {limit} write requests per minute exceeded; retry after {retryAfter} s.", keepHeaders: true);
            };
        });
        return services;
    }
}
