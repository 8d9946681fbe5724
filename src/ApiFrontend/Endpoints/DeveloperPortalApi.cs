using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;
using Vectros.Grains.Abstractions.Metering;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// The developer portal (DESIGN §6): partner sign-up and root-key revocation, guarded by the operator token
/// from configuration. With no token configured the portal does not exist (404).
/// </summary>
public static class DeveloperPortalApi
{
    public sealed record CreatePartnerRequest(string? Name);

    public sealed record SetPlanRequest(string? Plan);

    public static IEndpointRouteBuilder MapDeveloperPortalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/developer").WithTags("Developer portal")
            .AddEndpointFilter(async (ctx, next) =>
            {
                RequireOperator(ctx.HttpContext);
                return await next(ctx);
            });

        group.MapPost("/partners", async (HttpContext context, IGrainFactory grains) =>
            {
                var body = await JsonBody.ReadAsync<CreatePartnerRequest>(context.Request, context.RequestAborted);
                var created = await grains.GetGrain<IPartnerGrain>(Guid.CreateVersion7())
                    .CreateAsync(new CreatePartnerCommand(body.Name ?? ""));
                return TypedResults.Created($"/developer/partners/{created.PartnerId}", created);
            })
            .WithName("createPartner").WithSummary("Create a partner with live and test root keys (shown once)")
            .ProducesApiErrors(400, 404);

        group.MapPost("/keys/{keyId}/revoke", async (string keyId, IGrainFactory grains) =>
            {
                await grains.GetGrain<IRootKeyGrain>(keyId).RevokeAsync();
                return TypedResults.NoContent();
            })
            .WithName("revokeRootKey").WithSummary("Revoke a root key")
            .ProducesApiErrors(404);

        group.MapPost("/billing/top-ups", TopUpAsync).DescribesBody<TopUpRequest>()
            .WithName("topUpInferenceBalance").WithSummary("Credit an environment's prepaid inference balance (idempotent by reference)")
            .Produces<TopUpResponse>(StatusCodes.Status201Created).Produces<TopUpResponse>().ProducesApiErrors(400, 404, 409);

        // The plan sets each environment's monthly credit allowance; usage grains re-read it within seconds on every silo.
        group.MapPut("/partners/{partnerId}/plan", async (string partnerId, HttpContext context, IGrainFactory grains) =>
            {
                var body = await JsonBody.ReadAsync<SetPlanRequest>(context.Request, context.RequestAborted);
                if (!Guid.TryParse(partnerId, out var id))
                {
                    throw new NotFoundException("No partner exists with this id.");
                }

                var plan = await grains.GetGrain<IPartnerPlanGrain>(id).SetAsync(body.Plan ?? "");
                return TypedResults.Ok(plan);
            })
            .WithName("setPartnerPlan").WithSummary("Set a partner's plan (its monthly credit allowance per environment)")
            .DescribesBody<SetPlanRequest>().Produces<PartnerPlan>().ProducesApiErrors(400, 404);

        group.MapGet("/usage", PartnerUsageAsync)
            .WithName("getPartnerUsage").WithSummary("A partner's usage report for the operator console (the GET /v1/usage report)")
            .Produces<UsageReportResponse>().ProducesApiErrors(400, 404);
        return app;
    }

    /// <summary>
    /// A top-up names its environment by tenant id, or by partner id and <c>live</c>/<c>test</c>. The reference makes it
    /// idempotent: a replay answers 200 with the first row and credits nothing.
    /// </summary>
    private static async Task<IResult> TopUpAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<TopUpRequest>(context.Request, context.RequestAborted);
        if (body.AmountCents is not { } amount)
        {
            throw new ValidationException("amountCents", "amountCents is required (a positive number of cents).");
        }

        var tenantId = await TenantOfAsync(body, grains);
        var result = await grains.GetGrain<IInferenceBalanceGrain>(tenantId).TopUpAsync(new TopUpCommand(amount, body.Reference ?? ""));
        var response = TopUpResponse.From(result);
        return result.Created ? TypedResults.Created($"/developer/billing/top-ups/{Uri.EscapeDataString(result.TopUpId)}", response) : TypedResults.Ok(response);
    }

    /// <summary>
    /// <c>GET /developer/usage?partnerId=&amp;environment=live|test&amp;year=&amp;month=&amp;contextId=</c>: the report a root key of
    /// that environment gets from <c>GET /v1/usage</c> (both environments side by side; the environment picks whose
    /// balance and remaining allowance the top-level figures show; live by default).
    /// </summary>
    private static async Task<IResult> PartnerUsageAsync(HttpContext context, IGrainFactory grains, TimeProvider time)
    {
        if (!Guid.TryParse(QueryParams.Optional(context.Request, "partnerId", maxLength: 64), out var partnerId))
        {
            throw new ValidationException("partnerId", "partnerId (a UUID) is required.");
        }

        var environment = QueryParams.Optional(context.Request, "environment", maxLength: 16) switch
        {
            null or "live" => TenantEnvironment.Live,
            "test" => TenantEnvironment.Test,
            _ => throw new ValidationException("environment", "environment must be live or test."),
        };
        var (year, month) = UsageApi.Period(context.Request, time);
        var tenantId = await grains.GetGrain<IBillingDirectoryGrain>(0).TenantOfAsync(partnerId, environment)
            ?? throw new NotFoundException("No such partner.");
        var data = await grains.GetGrain<IUsageReportGrain>(tenantId).GetAsync(null, year, month);
        return TypedResults.Ok(UsageReportBuilder.Build(data, QueryParams.Optional(context.Request, "contextId")));
    }

    private static async Task<string> TenantOfAsync(TopUpRequest body, IGrainFactory grains)
    {
        if (body.TenantId is { } tenantId)
        {
            return body.PartnerId is null && body.Environment is null
                ? tenantId
                : throw new ValidationException("tenantId", "Name the environment by tenantId or by partnerId and environment, not both.");
        }

        if (!Guid.TryParse(body.PartnerId, out var partnerId))
        {
            throw new ValidationException("partnerId", "tenantId, or partnerId (a UUID) with environment, is required.");
        }

        var environment = body.Environment switch
        {
            "live" => TenantEnvironment.Live,
            "test" => TenantEnvironment.Test,
            _ => throw new ValidationException("environment", "environment must be live or test."),
        };
        return await grains.GetGrain<IBillingDirectoryGrain>(0).TenantOfAsync(partnerId, environment)
            ?? throw new NotFoundException("No such partner.");
    }

    internal static void RequireOperator(HttpContext context)
    {
        if (!OperatorToken.IsConfigured(context))
        {
            throw new NotFoundException("No such resource.");
        }

        if (!OperatorToken.IsPresented(context))
        {
            throw new UnauthorizedException("The operator token is missing or wrong.");
        }
    }
}
