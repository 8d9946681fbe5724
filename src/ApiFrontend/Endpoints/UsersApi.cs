using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.ApiFrontend.Logs;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Users;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/users</c> (spec L4548–L4924, API-DELTA §8.8). Users are account-wide: one grain per user keyed
/// <c>tenant#id</c>, whatever context the caller is in. An id of another tenant, or one that is not a UUID, answers
/// the same 404 as a missing one. Scopes <c>users:r|c|u|d</c> (0.31 verbs and <c>admin:users</c> are aliases in
/// the scope grammar); a create collision also needs <c>users:r</c> (checked by the grain).
/// </summary>
public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/users").WithTags("Identity");

        group.MapGet("/", ListAsync).RequireScope("users:r").WithName("listUsers").WithSummary("List users")
            .Produces<PageResponse<UserResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<UserRequest>().RequireScope("users:c").WithName("createUser")
            .WithSummary("Create or retrieve a user (idempotent by externalId)")
            .Produces<UserResponse>(201).Produces<UserResponse>().ProducesApiErrors(400, 403, 409);
        group.MapGet("/exists-by-email", ExistsByEmailAsync).RequireScope("users:r").WithName("userExistsByEmail")
            .WithSummary("Whether an email belongs to an active user in an app context")
            .Produces<UserExistsResponse>().ProducesApiErrors(400, 403);
        group.MapPost("/lookup", LookupAsync).DescribesBody<IdentityLookupRequest>().RequireScope("users:r").WithName("lookupUsers")
            .WithSummary("Look up users by field value via the request body (safe for sensitive fields)")
            .Produces<PageResponse<UserResponse>>().ProducesApiErrors(400, 403);
        group.MapGet("/{id}", GetAsync).RequireScope("users:r").WithName("getUser").WithSummary("Get a user by ID")
            .Produces<UserResponse>().ProducesApiErrors(400, 403, 404);
        group.MapPut("/{id}", UpdateAsync).DescribesBody<UserRequest>().RequireScope("users:u").WithName("updateUser").WithSummary("Update a user")
            .Produces<UserResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).RequireScope("users:d").WithName("deleteUser").WithSummary("Delete a user")
            .Produces(204).ProducesApiErrors(400, 403, 404, 409);
        group.MapGet("/{id}/versions", VersionsAsync).RequireScope("users:r").WithName("getUserVersions")
            .WithSummary("Get a user's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains) =>
        TypedResults.Ok(UserResponse.Page(await PageAsync(context, grains, UserQueries.List(context.Request), AccessLog.List)));

    private static async Task<IResult> LookupAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<IdentityLookupRequest>(context.Request, context.RequestAborted);
        return TypedResults.Ok(UserResponse.Page(await PageAsync(context, grains, UserQueries.Lookup(body, context), AccessLog.Lookup)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("users:u");
        }

        var body = await JsonBody.ReadAsync<UserRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(create: true);
        var caller = context.GetCaller();
        var result = await grains.GetGrain<IUserGrain>(UserRules.Key(caller.TenantId, Guid.CreateVersion7())).CreateAsync(caller, write, upsert);
        var response = UserResponse.From(result.User, result.Created);
        return result.Created ? TypedResults.Created($"/v1/users/{response.Id}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains, IAccessLog accessLog)
    {
        var (grain, caller) = Grain(context, grains, id);
        var user = await grain.GetAsync(caller);
        accessLog.RecordReads(context, AccessLog.Read, [user]);
        return TypedResults.Ok(UserResponse.From(user));
    }

    /// <summary>PUT: omitted fields are kept, a given payload replaces the stored one whole; also activates an invited user (spec L4750).</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<UserRequest>(context.Request, context.RequestAborted);
        var write = body.ToWrite(create: false);
        var (grain, caller) = Grain(context, grains, id);
        return TypedResults.Ok(UserResponse.From(await grain.UpdateAsync(caller, write)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, caller) = Grain(context, grains, id);
        await grain.DeleteAsync(caller);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, caller) = Grain(context, grains, id);
        var page = await grain.GetVersionsAsync(caller, QueryParams.Optional(context.Request, "startFrom"), QueryParams.Limit(context.Request));
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    /// <summary>
    /// API-DELTA §8.8: <c>?email</c> (case-insensitive) and <c>?contextId</c> (default: the caller's context). A
    /// caller confined to a context naming another one → 403 (root keys are not confined).
    /// </summary>
    private static async Task<IResult> ExistsByEmailAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var email = UserRules.CheckEmail(QueryParams.Optional(context.Request, "email", UserRules.MaxEmailLength + 1)
            ?? throw new ValidationException("email", "email is required."));
        var contextId = QueryParams.Optional(context.Request, "contextId", 64) ?? caller.ContextId;
        if (!caller.IsRoot && !string.Equals(contextId, caller.ContextId, StringComparison.Ordinal))
        {
            throw new ForbiddenException("A caller confined to an app context may ask only about its own context.");
        }

        var exists = await grains.GetGrain<IUserQueryGrain>(caller.TenantId).ExistsByEmailAsync(caller, email, contextId);
        return TypedResults.Ok(UserExistsResponse.From(exists));
    }

    /// <summary>The page with its <c>nextCursor</c> sealed (<see cref="ListCursors"/>).</summary>
    private static async Task<UserPage> PageAsync(HttpContext context, IGrainFactory grains, UserListQuery query, string action)
    {
        var caller = context.GetCaller();
        var page = await grains.GetGrain<IUserQueryGrain>(caller.TenantId).ListAsync(caller, query);
        context.RequestServices.GetRequiredService<IAccessLog>().RecordReads(context, action, page.Data);
        return page with { NextCursor = ListCursors.Wrap(context, page.NextCursor) };
    }

    private static (IUserGrain Grain, Grains.Abstractions.Access.CallerContext Caller) Grain(HttpContext context, IGrainFactory grains, string id)
    {
        var caller = context.GetCaller();
        return Guid.TryParse(id, out var userId)
            ? (grains.GetGrain<IUserGrain>(UserRules.Key(caller.TenantId, userId)), caller)
            : throw new NotFoundException("No user exists with this id.");
    }
}
