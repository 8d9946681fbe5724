using System.Diagnostics;
using System.Globalization;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Logs;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Logs;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>GET /v1/admin/logs</c> (spec getAdminLogs L329, API-DELTA §12) and <c>GET /v1/admin/access-log</c> (getAccessLog
/// L58). The tenant is always the caller's; a credential confined to a context sees only that context's rows.
/// </summary>
public static class AdminLogsApi
{
    /// <summary>The capability a confined caller needs for an account-wide <c>callerKeyId</c> query (API-DELTA §8.4, §12).</summary>
    public const string ForensicRead = "forensic-read";

    private static readonly IReadOnlySet<string> _methods = new HashSet<string>(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE" };

    private static readonly IReadOnlySet<string> _actions = new HashSet<string>(StringComparer.Ordinal) { "read", "list", "lookup", "search", "rag" };

    public static IEndpointRouteBuilder MapAdminLogsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").WithTags("Auth");
        group.MapGet("/logs", GetLogsAsync).RequireScope("logs:r").WithName("getAdminLogs").WithSummary("Query your API call logs")
            .Produces<AdminLogsResponse>().ProducesApiErrors(400, 403);
        group.MapGet("/access-log", GetAccessLogAsync).RequireScope("access-log:r").WithName("getAccessLog")
            .WithSummary("Query the PHI read-access (accounting-of-disclosures) log")
            .Produces<PageResponse<ReadAccessLogResponse>>().ProducesApiErrors(400, 403);
        return app;
    }

    private static async Task<IResult> GetLogsAsync(HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        var started = Stopwatch.GetTimestamp();
        var principal = context.GetPrincipal();
        var request = context.Request;
        var start = Time(request, "startTime") ?? throw new ValidationException("startTime", "startTime is required (ISO-8601 UTC).");
        var end = Time(request, "endTime") ?? time.GetUtcNow();
        if (end < start)
        {
            throw new ValidationException("endTime", "endTime must not be before startTime.");
        }

        var resource = QueryParams.Optional(request, "resource");
        if (resource is not null && !ApiLogResources.Known.Contains(resource))
        {
            throw new ValidationException("resource", "resource must be one of: " + string.Join(", ", ApiLogResources.Known.Order(StringComparer.Ordinal)) + ".");
        }

        var method = QueryParams.Optional(request, "method")?.ToUpperInvariant();
        if (method is not null && !_methods.Contains(method))
        {
            throw new ValidationException("method", "method must be GET, POST, PUT, PATCH or DELETE.");
        }

        var query = new ApiCallQuery
        {
            Start = start,
            End = end,
            Resource = resource,
            Method = method,
            KeyId = QueryParams.Optional(request, "keyId"),
            ContextId = ConfinedContext(principal, QueryParams.Optional(request, "contextId")),
            ErrorsOnly = QueryParams.Flag(request, "errorsOnly"),
            Limit = QueryParams.Limit(request, fallback: 200, max: 500),
        };
        var page = await grains.GetGrain<IApiLogQueryGrain>(principal.TenantId).QueryCallsAsync(query);
        return TypedResults.Ok(new AdminLogsResponse(
            page.Entries.Select(LogEntryResponse.From).ToList(), page.Truncated,
            (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, principal.TenantId));
    }

    private static async Task<IResult> GetAccessLogAsync(HttpContext context, IGrainFactory grains)
    {
        var principal = context.GetPrincipal();
        var request = context.Request;
        var subjectType = QueryParams.Optional(request, "subjectType");
        var subjectId = QueryParams.Optional(request, "subjectId");
        var clientId = QueryParams.Optional(request, "clientId");
        var resourceId = QueryParams.Optional(request, "resourceId");
        var callerKeyId = QueryParams.Optional(request, "callerKeyId");
        var contextId = QueryParams.Optional(request, "contextId");
        if ((subjectType is null) != (subjectId is null))
        {
            throw new ValidationException(subjectType is null ? "subjectType" : "subjectId", "subjectType and subjectId are given together.");
        }

        if (clientId is not null && subjectId is null)
        {
            throw new ValidationException("clientId", "clientId narrows a subject query: give subjectType and subjectId too.");
        }

        if ((subjectId is not null || resourceId is not null) && contextId is null)
        {
            throw new ValidationException("contextId", "A subject or resource query needs contextId.");
        }

        if (contextId is null && callerKeyId is null)
        {
            throw new ValidationException("contextId",
                "Give at least one query axis: subjectType+subjectId with contextId, resourceId with contextId, callerKeyId, or contextId.");
        }

        // A confined caller reads only its own context; across contexts only by callerKeyId, and then only with the
        // forensic-read capability (API-DELTA §12).
        if (!principal.IsRoot && contextId is null && !principal.Capabilities.Contains(ForensicRead))
        {
            throw new ForbiddenException($"A callerKeyId query across contexts needs the '{ForensicRead}' capability; give contextId to search your own context.");
        }

        var action = QueryParams.Optional(request, "action");
        if (action is not null && !_actions.Contains(action))
        {
            throw new ValidationException("action", "action must be read, list, lookup, search or rag.");
        }

        var subjects = new List<string>(2);
        if (subjectType is not null)
        {
            subjects.Add(subjectType + ":" + subjectId);
        }

        if (clientId is not null)
        {
            subjects.Add("client:" + clientId);
        }

        var query = new ReadAccessQuery
        {
            ContextId = contextId is null ? null : ConfinedContext(principal, contextId),
            Subjects = subjects,
            ResourceId = resourceId,
            CallerKeyId = callerKeyId,
            From = Time(request, "from"),
            To = Time(request, "to"),
            Action = action,
            ResourceType = QueryParams.Optional(request, "resourceType"),
            RevealedSensitive = QueryParams.Optional(request, "revealedSensitive") is null ? null : QueryParams.Flag(request, "revealedSensitive"),
            StartFrom = ListCursors.Unwrap(context),
            Limit = QueryParams.Limit(request, fallback: 200, max: 500),
        };
        var page = await grains.GetGrain<IApiLogQueryGrain>(principal.TenantId).QueryReadsAsync(query);
        return TypedResults.Ok(new PageResponse<ReadAccessLogResponse>(
            page.Entries.Select(ReadAccessLogResponse.From).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    /// <summary>Root keys may name any context (or none); a confined caller only its own, which it then always gets.</summary>
    private static string? ConfinedContext(Principal principal, string? requested)
    {
        if (principal.IsRoot)
        {
            return requested;
        }

        return requested is null || string.Equals(requested, principal.ContextId, StringComparison.Ordinal)
            ? principal.ContextId
            : throw new ForbiddenException("This credential may only read the logs of its own app context.");
    }

    /// <summary>An ISO-8601 timestamp parameter (a value without an offset is taken as UTC); null when absent.</summary>
    private static DateTimeOffset? Time(HttpRequest request, string name)
    {
        var raw = QueryParams.Optional(request, name, maxLength: 64);
        if (raw is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new ValidationException(name, $"{name} must be an ISO-8601 UTC timestamp, e.g. 2025-01-15T09:00:00Z.");
    }
}
