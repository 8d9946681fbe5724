using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Keys;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/admin/keys/scoped</c> (spec L179-L320, API-DELTA §8.6): scoped keys of the caller's own environment. The
/// body's <c>tenantId</c> must be the caller's tenant (another one, including the account's other environment, is the
/// uniform 404); the grains run the profile, delegation and limit checks.
/// </summary>
public static class ScopedKeysApi
{
    public static IEndpointRouteBuilder MapScopedKeysApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin/keys/scoped").WithTags("Auth");
        group.MapGet("/", ListAsync).RequireScope("keys:r").WithName("listScopedKeys").WithSummary("List your scoped API keys")
            .Produces<PageResponse<ScopedKeyResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).RequireScope("keys:c").DescribesBody<CreateScopedKeyRequest>().WithName("createScopedKey")
            .WithSummary("Mint a scoped API key bound to an existing access profile")
            .Produces<ScopedKeyResponse>(201).Produces<ScopedKeyResponse>().ProducesApiErrors(400, 403, 404);
        group.MapGet("/{keyId}", GetAsync).RequireScope("keys:r").WithName("getScopedKey").WithSummary("Get a scoped API key by its ID")
            .Produces<ScopedKeyResponse>().ProducesApiErrors(403, 404);
        group.MapDelete("/{keyId}", RevokeAsync).RequireScope("keys:d").WithName("revokeScopedKey").WithSummary("Revoke a scoped API key by its ID")
            .Produces(204).ProducesApiErrors(403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var limit = QueryParams.Limit(context.Request);
        var caller = context.GetCaller();
        var page = await grains.GetGrain<IScopedKeyRegistryGrain>(caller.TenantId).ListAsync(caller, ListCursors.Unwrap(context), limit);
        return TypedResults.Ok(new PageResponse<ScopedKeyResponse>(
            page.Data.Select(k => ScopedKeyResponse.From(k)).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var body = await JsonBody.ReadAsync<CreateScopedKeyRequest>(context.Request, context.RequestAborted);
        var create = new ScopedKeyCreate(
            body.KeyName ?? throw new ValidationException("keyName", "keyName is required."),
            body.ContextId ?? throw new ValidationException("contextId", "contextId is required."),
            body.UserId ?? throw new ValidationException("userId", "userId is required."),
            body.Label);
        var tenantId = body.TenantId ?? throw new ValidationException("tenantId", "tenantId is required.");
        ScopedKeyRules.Validate(create);

        var actor = context.GetActor();
        if (!string.Equals(tenantId, actor.Caller.TenantId, StringComparison.Ordinal))
        {
            throw new NotFoundException("No tenant with this tenantId in your account's current environment.");
        }

        var result = await grains.GetGrain<IScopedKeyRegistryGrain>(actor.Caller.TenantId).CreateAsync(actor, create);
        var response = ScopedKeyResponse.From(result.Key, result.RawKey);
        return result.Created ? TypedResults.Created($"/v1/admin/keys/scoped/{result.Key.KeyId}", response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> GetAsync(string keyId, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        return TypedResults.Ok(ScopedKeyResponse.From(await Grain(grains, caller.TenantId, keyId).GetAsync(caller)));
    }

    private static async Task<IResult> RevokeAsync(string keyId, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        await Grain(grains, caller.TenantId, keyId).RevokeAsync(caller);
        return TypedResults.NoContent();
    }

    /// <summary>A key id that is not a UUID names no key: the same 404, without activating a grain for it.</summary>
    private static IScopedKeyGrain Grain(IGrainFactory grains, string tenantId, string keyId) =>
        ScopedKeyRules.IsKeyId(keyId)
            ? grains.GetGrain<IScopedKeyGrain>(ScopedKeyRules.Key(tenantId, keyId))
            : throw new NotFoundException("No scoped key exists with this keyId in your account.");
}
