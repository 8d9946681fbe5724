using System.Text.RegularExpressions;
using Orleans;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;
using Vectros.Grains.Abstractions.Webhooks;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// Webhook registrations in the developer portal (issue #11 items 2, 3, 5; DESIGN §6), operator-guarded like the rest
/// of <c>/developer/*</c>. A registration belongs to one environment of a partner (its live or test tenant). Secrets
/// are shown once, in the answer to the create or the rotation, and never again.
/// By-id routes take an optional <c>partnerId</c> (and <c>environment</c>) query: a registration of another partner or
/// environment is then a 404, as a missing one is.
/// </summary>
public static partial class WebhooksApi
{
    public sealed record CreateWebhookRequest(
        string? PartnerId, string? Environment, string? Url, List<string>? EventTypes, string? Description, List<string>? SignatureAlgorithms);

    public sealed record UpdateWebhookRequest(string? Url, List<string>? EventTypes, string? Description);

    public sealed record RecoverWebhookRequest(DateTimeOffset? Since);

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/developer/webhooks").WithTags("Developer portal")
            .AddEndpointFilter(async (ctx, next) =>
            {
                DeveloperPortalApi.RequireOperator(ctx.HttpContext);
                return await next(ctx);
            });

        group.MapPost("", CreateAsync).DescribesBody<CreateWebhookRequest>()
            .WithName("createWebhook").WithSummary("Register a webhook endpoint for one environment (its secret is shown once)")
            .Produces<WebhookWithSecret>(StatusCodes.Status201Created).ProducesApiErrors(400, 404);

        group.MapGet("", ListAsync)
            .WithName("listWebhooks").WithSummary("List an environment's webhook registrations")
            .Produces<PageResponse<WebhookRegistration>>().ProducesApiErrors(400, 404);

        group.MapGet("/{id}", async (string id, HttpContext context, IGrainFactory grains) =>
                TypedResults.Ok(await OwnedAsync(id, context, grains)))
            .WithName("getWebhook").WithSummary("A webhook registration with its notices (never its secret)")
            .Produces<WebhookRegistration>().ProducesApiErrors(404);

        group.MapPatch("/{id}", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                var body = await JsonBody.ReadAsync<UpdateWebhookRequest>(context.Request, context.RequestAborted);
                await OwnedAsync(id, context, grains);
                return TypedResults.Ok(await Grain(grains, id).UpdateAsync(new UpdateWebhookCommand(body.Url, body.EventTypes, body.Description)));
            })
            .DescribesBody<UpdateWebhookRequest>()
            .WithName("updateWebhook").WithSummary("Change a registration's URL, event types or description")
            .Produces<WebhookRegistration>().ProducesApiErrors(400, 404);

        group.MapDelete("/{id}", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                await OwnedAsync(id, context, grains);
                await Grain(grains, id).DeleteAsync();
                return TypedResults.NoContent();
            })
            .WithName("deleteWebhook").WithSummary("Delete a registration with its pending deliveries and attempts")
            .ProducesApiErrors(404);

        group.MapPost("/{id}/rotate-secret", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                await OwnedAsync(id, context, grains);
                return TypedResults.Ok(await Grain(grains, id).RotateSecretAsync());
            })
            .WithName("rotateWebhookSecret").WithSummary("A new secret (shown once); the old one also signs for the configured overlap")
            .Produces<WebhookWithSecret>().ProducesApiErrors(404);

        group.MapPost("/{id}/disable", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                await OwnedAsync(id, context, grains);
                return TypedResults.Ok(await Grain(grains, id).DisableAsync());
            })
            .WithName("disableWebhook").WithSummary("Stop deliveries to a registration")
            .Produces<WebhookRegistration>().ProducesApiErrors(404);

        group.MapPost("/{id}/enable", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                await OwnedAsync(id, context, grains);
                return TypedResults.Ok(await Grain(grains, id).EnableAsync());
            })
            .WithName("enableWebhook").WithSummary("Re-enable a registration (resets its failure counter)")
            .Produces<WebhookRegistration>().ProducesApiErrors(404);

        group.MapGet("/{id}/attempts", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                var limit = QueryParams.Limit(context.Request);
                await OwnedAsync(id, context, grains);
                var startFrom = ListCursors.Unwrap(context);
                var page = await Grain(grains, id).ListAttemptsAsync(startFrom, limit);
                return TypedResults.Ok(new PageResponse<WebhookAttempt>(page.Items, ListCursors.Wrap(context, page.NextCursor)));
            })
            .WithName("listWebhookAttempts").WithSummary("Delivery attempts, newest first")
            .Produces<PageResponse<WebhookAttempt>>().ProducesApiErrors(400, 404);

        group.MapPost("/{id}/recover", async (string id, HttpContext context, IGrainFactory grains) =>
            {
                var body = await JsonBody.ReadAsync<RecoverWebhookRequest>(context.Request, context.RequestAborted);
                var since = body.Since ?? throw new ValidationException("since", "since (a date-time) is required.");
                await OwnedAsync(id, context, grains);
                return TypedResults.Ok(await Grain(grains, id).RecoverAsync(since));
            })
            .DescribesBody<RecoverWebhookRequest>()
            .WithName("recoverWebhookDeliveries").WithSummary("Send again every delivery that failed since a time; returns how many")
            .Produces<WebhookRecovery>().ProducesApiErrors(400, 404);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateWebhookRequest>(context.Request, context.RequestAborted);
        var (partnerId, environment) = PartnerAndEnvironment(body.PartnerId, body.Environment);
        if (string.IsNullOrWhiteSpace(body.Url))
        {
            throw new ValidationException("url", "url is required (an https:// URL).");
        }

        if (body.EventTypes is null || body.EventTypes.Count == 0)
        {
            throw new ValidationException("eventTypes", "eventTypes is required: one or more of document.indexed, document.failed, record.indexed, record.failed.");
        }

        var tenantId = await TenantAsync(grains, partnerId, environment);
        var id = "wh_" + Guid.CreateVersion7().ToString("N");
        var created = await Grain(grains, id).CreateAsync(new CreateWebhookCommand(
            tenantId, partnerId, Name(environment), body.Url, body.EventTypes, body.Description, body.SignatureAlgorithms ?? []));
        return TypedResults.Created($"/developer/webhooks/{id}", created);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var (partnerId, environment) = PartnerAndEnvironment(
            QueryParams.Optional(context.Request, "partnerId", maxLength: 64), QueryParams.Optional(context.Request, "environment", maxLength: 16));
        var limit = QueryParams.Limit(context.Request);
        var tenantId = await TenantAsync(grains, partnerId, environment);
        var startFrom = ListCursors.Unwrap(context);
        var page = await grains.GetGrain<IWebhookDirectoryGrain>(tenantId).ListAsync(startFrom, limit);
        return TypedResults.Ok(new PageResponse<WebhookRegistration>(page.Items, ListCursors.Wrap(context, page.NextCursor)));
    }

    /// <summary>The registration, or 404 when the id is malformed, missing, or of another partner/environment than the query names.</summary>
    private static async Task<WebhookRegistration> OwnedAsync(string id, HttpContext context, IGrainFactory grains)
    {
        if (!RegistrationId().IsMatch(id))
        {
            throw new NotFoundException("No such webhook registration.");
        }

        var registration = await Grain(grains, id).GetAsync();
        var partner = QueryParams.Optional(context.Request, "partnerId", maxLength: 64);
        var environment = QueryParams.Optional(context.Request, "environment", maxLength: 16);
        if ((partner is not null && !(Guid.TryParse(partner, out var p) && p == registration.PartnerId))
            || (environment is not null && environment != registration.Environment))
        {
            throw new NotFoundException("No such webhook registration.");
        }

        return registration;
    }

    private static (Guid PartnerId, TenantEnvironment Environment) PartnerAndEnvironment(string? partnerId, string? environment)
    {
        if (!Guid.TryParse(partnerId, out var id))
        {
            throw new ValidationException("partnerId", "partnerId (a UUID) is required.");
        }

        return (id, environment switch
        {
            "live" => TenantEnvironment.Live,
            "test" => TenantEnvironment.Test,
            _ => throw new ValidationException("environment", "environment is required: live or test."),
        });
    }

    private static async Task<string> TenantAsync(IGrainFactory grains, Guid partnerId, TenantEnvironment environment) =>
        await grains.GetGrain<IBillingDirectoryGrain>(0).TenantOfAsync(partnerId, environment)
        ?? throw new NotFoundException("No such partner.");

    private static string Name(TenantEnvironment environment) => environment == TenantEnvironment.Live ? "live" : "test";

    private static IWebhookRegistrationGrain Grain(IGrainFactory grains, string id) => grains.GetGrain<IWebhookRegistrationGrain>(id);

    [GeneratedRegex("^wh_[0-9a-f]{32}$")]
    private static partial Regex RegistrationId();
}
