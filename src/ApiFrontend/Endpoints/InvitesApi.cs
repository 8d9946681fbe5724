using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Invites;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>POST /v1/users/invite</c> and <c>…/resend</c> (spec L4924, L4986; API-DELTA §8.8). Always 201: a repeat
/// rotates the token. Scopes: <c>users:c</c> (0.31 <c>admin:users</c> is an alias); a repeat of a pending invite
/// also needs <c>users:r</c>+<c>users:u</c> (else 409, checked by the grain); resend needs all three. The grain
/// signs the token; this front end delivers it through <see cref="IInviteSender"/>, or returns it when the caller
/// sends its own mail (<c>sendEmail=false</c>).
/// </summary>
public static class InvitesApi
{
    public static IEndpointRouteBuilder MapInvitesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/users/invite").WithTags("Auth");
        group.MapPost("/", InviteAsync).DescribesBody<CreateInviteRequest>().RequireScope("users:c").WithName("createInvite")
            .WithSummary("Invite a sub-user by email")
            .Produces<CreateInviteResponse>(201).ProducesApiErrors(400, 403, 404, 409);
        group.MapPost("/resend", ResendAsync).DescribesBody<CreateInviteRequest>().RequireScope("users:c").WithName("resendInvite")
            .WithSummary("Resend a pending invitation")
            .Produces<CreateInviteResponse>(201).ProducesApiErrors(400, 403, 404, 409);
        return app;
    }

    private static Task<IResult> InviteAsync(HttpContext context, IGrainFactory grains, IInviteSender sender) =>
        IssueAsync(context, grains, sender, resendOnly: false);

    private static Task<IResult> ResendAsync(HttpContext context, IGrainFactory grains, IInviteSender sender)
    {
        context.Demand("users:r");
        context.Demand("users:u");
        return IssueAsync(context, grains, sender, resendOnly: true);
    }

    private static async Task<IResult> IssueAsync(HttpContext context, IGrainFactory grains, IInviteSender sender, bool resendOnly)
    {
        var body = await JsonBody.ReadAsync<CreateInviteRequest>(context.Request, context.RequestAborted);
        var command = body.ToCommand();
        var caller = context.GetCaller();
        var issued = await grains.GetGrain<IUserInviteGrain>(UserRules.InviteKey(caller.TenantId, command.ContextId, command.Email))
            .InviteAsync(caller, command, resendOnly);
        var link = body.AcceptLink(issued.Token);
        var response = body.Sends
            ? new CreateInviteResponse(issued.UserId.ToString(), Timestamps.Format(issued.ExpiresAt),
                await sender.SendAsync(new InviteMessage(issued.UserId, command.Email, command.FirstName, body.FromName ?? "Vectros",
                    command.ContextId, link!, issued.ExpiresAt), context.RequestAborted), null, null)
            : new CreateInviteResponse(issued.UserId.ToString(), Timestamps.Format(issued.ExpiresAt), false, issued.Token, link);
        return TypedResults.Created($"/v1/users/{issued.UserId}", response);
    }
}
