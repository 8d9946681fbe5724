using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.AppContexts;
using Vectros.Grains.Abstractions.Erasure;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/erasure-requests</c> (spec L2322–L2410, API-DIGEST §4.7, API-DELTA-0.40 §11): root keys only; the request is
/// checked here (shape) and in the grain (subject, contexts) before anything is written, then runs asynchronously.
/// </summary>
public static class ErasureApi
{
    private const int MaxIdLength = 256;
    private const int MaxContexts = 100;

    public static IEndpointRouteBuilder MapErasureApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/erasure-requests").WithTags("Compliance");
        group.MapPost("/", SubmitAsync).DescribesBody<ErasureRequestBody>().RequireRoot().WithName("createErasureRequest")
            .WithSummary("Submit an end-subject erasure request")
            .Produces<ErasureRequestResponse>(202).ProducesApiErrors(400, 403, 404);
        group.MapGet("/{id}", GetAsync).RequireRoot().WithName("getErasureRequest")
            .WithSummary("Get the status and certificate of an erasure request")
            .Produces<ErasureRequestResponse>().ProducesApiErrors(403, 404);
        return app;
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var body = await JsonBody.ReadAsync<ErasureRequestBody>(context.Request, context.RequestAborted);
        var submission = Validate(body);
        var view = await grains.GetGrain<IErasureGrain>(caller.TenantId).SubmitAsync(caller, submission);
        return TypedResults.Accepted($"/v1/erasure-requests/{view.RequestId}", ErasureRequestResponse.From(view));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var view = ErasureRules.IsWellFormedId(id)
            ? await grains.GetGrain<IErasureGrain>(caller.TenantId).GetAsync(caller, id)
            : null;
        return view is null
            ? throw new NotFoundException("No erasure request exists with this id.")
            : TypedResults.Ok(ErasureRequestResponse.From(view));
    }

    /// <summary>The body's shape; the subject and the contexts are checked against the data by the grain.</summary>
    private static ErasureSubmission Validate(ErasureRequestBody body)
    {
        if (string.IsNullOrWhiteSpace(body.SubjectType))
        {
            throw new ValidationException("subjectType", "subjectType is required: 'user' or the name of a namespace (such as 'org' or 'client').");
        }

        if ((body.SubjectId is null) == (body.ExternalId is null))
        {
            throw new ValidationException("subjectId", "Provide exactly one of subjectId or externalId.");
        }

        CheckId("subjectId", body.SubjectId);
        CheckId("externalId", body.ExternalId);
        var disposition = body.AuditDisposition ?? ErasureRules.RetainRedacted;
        if (disposition is not (ErasureRules.RetainRedacted or ErasureRules.Purge))
        {
            throw new ValidationException("auditDisposition", "auditDisposition must be 'retain-redacted' or 'purge'.");
        }

        var contexts = body.ContextScope ?? [];
        if (contexts.Count > MaxContexts)
        {
            throw new ValidationException("contextScope", $"contextScope may name at most {MaxContexts} contexts.");
        }

        for (var i = 0; i < contexts.Count; i++)
        {
            if (!AppContextKeys.IsValidContextId(contexts[i]))
            {
                throw new ValidationException($"contextScope[{i}]", $"contextScope[{i}] is not a valid contextId.");
            }
        }

        return new ErasureSubmission(body.SubjectType, body.SubjectId, body.ExternalId,
            contexts.Distinct(StringComparer.Ordinal).ToList(), disposition, body.DryRun ?? false);
    }

    private static void CheckId(string field, string? value)
    {
        if (value is not null && (value.Length == 0 || value.Length > MaxIdLength))
        {
            throw new ValidationException(field, $"{field} must be 1-{MaxIdLength} characters.");
        }
    }
}
