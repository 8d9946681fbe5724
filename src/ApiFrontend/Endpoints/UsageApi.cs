using System.Globalization;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Metering;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>GET /v1/usage</c> (spec getUsage L1254, UsageReportResponse L6665, API-DELTA §9). A root key sees both
/// environments of its partner; a scoped key or token is confined to its context: every section narrows to it, the
/// other environment is null and <c>?contextId=</c> naming another context is 403.
/// </summary>
public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/usage", GetUsageAsync).WithTags("Auth").RequireScope("billing:r")
            .WithName("getUsage").WithSummary("Get usage for a calendar month")
            .Produces<UsageReportResponse>().ProducesApiErrors(400, 403);
        return app;
    }

    private static async Task<IResult> GetUsageAsync(HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        var principal = context.GetPrincipal();
        var (year, month) = Period(context.Request, time);
        var contextId = QueryParams.Optional(context.Request, "contextId");
        var confined = !principal.IsRoot;
        if (confined && contextId is not null && !string.Equals(contextId, principal.ContextId, StringComparison.Ordinal))
        {
            throw new ForbiddenException("This credential may only read the usage of its own app context.");
        }

        var data = await grains.GetGrain<IUsageReportGrain>(principal.TenantId).GetAsync(confined ? principal.ContextId : null, year, month);
        return TypedResults.Ok(UsageReportBuilder.Build(data, contextId));
    }

    /// <summary><c>year</c> and <c>month</c> from the query (400 when out of range), defaulting to the current month (UTC).</summary>
    internal static (int Year, int Month) Period(HttpRequest request, TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return (Number(request, "year", 1970, 9999) ?? now.Year, Number(request, "month", 1, 12) ?? now.Month);
    }

    private static int? Number(HttpRequest request, string name, int min, int max)
    {
        var raw = QueryParams.Optional(request, name, maxLength: 16);
        if (raw is null)
        {
            return null;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ValidationException(name, $"{name} must be an integer from {min} to {max}.");
    }
}
