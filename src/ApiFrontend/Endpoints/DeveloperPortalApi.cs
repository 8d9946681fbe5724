using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// The developer portal (DESIGN §6): partner sign-up and root-key revocation, guarded by the operator token
/// from configuration. With no token configured the portal does not exist (404).
/// </summary>
public static class DeveloperPortalApi
{
    public sealed record CreatePartnerRequest(string? Name);

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
        return app;
    }

    private static void RequireOperator(HttpContext context)
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
