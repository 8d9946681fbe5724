using System.Text.RegularExpressions;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Accounts;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// Tenant teardown in the developer portal (issue #11 item 7), operator-guarded. A tenant is named by its id
/// (<c>/developer/tenants/ten_test_…</c>) or by environment and partner (<c>/developer/tenants/test?partnerId=…</c>).
/// Deleting demands <c>?confirm=</c> repeating the tenant id, so neither a typo in the environment nor a replayed URL
/// for another tenant can tear down the wrong one.
/// </summary>
public static partial class TenantsApi
{
    public static IEndpointRouteBuilder MapTenantsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/developer/tenants").WithTags("Developer portal")
            .AddEndpointFilter(async (ctx, next) =>
            {
                DeveloperPortalApi.RequireOperator(ctx.HttpContext);
                return await next(ctx);
            });

        group.MapDelete("/{tenant}", DeleteAsync)
            .WithName("deleteTenant").WithSummary("Tear a tenant down: every context's data, keys, registrations, blobs and search rows (asynchronous)")
            .Produces<TenantStatusResponse>(StatusCodes.Status202Accepted).ProducesApiErrors(400, 404);

        group.MapGet("/{tenant}", GetAsync)
            .WithName("getTenant").WithSummary("A tenant's status (active, deleting with progress per step, deleted)")
            .Produces<TenantStatusResponse>().ProducesApiErrors(400, 404);
        return app;
    }

    private static async Task<IResult> DeleteAsync(string tenant, HttpContext context, IGrainFactory grains, TenantRevocations revocations)
    {
        var tenantId = await ResolveAsync(tenant, context.Request, grains);
        var confirm = context.Request.Query["confirm"].ToString();
        if (confirm.Length == 0)
        {
            throw new ValidationException("confirm", "Tearing down a tenant is irreversible: pass ?confirm={tenantId} (the tenant id, ten_…).");
        }

        if (!string.Equals(confirm, tenantId, StringComparison.Ordinal))
        {
            throw new ValidationException("confirm", "confirm must exactly equal the id of the tenant being deleted.");
        }

        var view = await grains.GetGrain<ITenantGrain>(tenantId).StartTeardownAsync();
        revocations.Revoke(tenantId);
        return TypedResults.Accepted($"/developer/tenants/{tenantId}", TenantStatusResponse.From(view));
    }

    private static async Task<IResult> GetAsync(string tenant, HttpContext context, IGrainFactory grains)
    {
        var tenantId = await ResolveAsync(tenant, context.Request, grains);
        var view = await grains.GetGrain<ITenantGrain>(tenantId).GetStatusAsync() ?? throw NoSuchTenant();
        return TypedResults.Ok(TenantStatusResponse.From(view));
    }

    /// <summary>
    /// The tenant id the path names: a tenant id as is, or <c>live</c>/<c>test</c> with <c>?partnerId=</c> (that
    /// environment's tenant, or the one torn down last). A malformed tenant id is as absent as a missing one.
    /// </summary>
    private static async Task<string> ResolveAsync(string tenant, HttpRequest request, IGrainFactory grains)
    {
        var partnerId = QueryParams.Optional(request, "partnerId", maxLength: 64);
        TenantEnvironment? environment = tenant switch
        {
            "live" => TenantEnvironment.Live,
            "test" => TenantEnvironment.Test,
            _ => null,
        };
        if (environment is null)
        {
            if (partnerId is not null)
            {
                throw new ValidationException("partnerId", "partnerId applies only when the path names an environment (live or test).");
            }

            return TenantIdPattern().IsMatch(tenant) ? tenant : throw NoSuchTenant();
        }

        if (!Guid.TryParse(partnerId, out var partner))
        {
            throw new ValidationException("partnerId", "partnerId (a UUID) is required when the path names an environment (live or test).");
        }

        return await grains.GetGrain<IBillingDirectoryGrain>(0).TenantOfAsync(partner, environment.Value)
            ?? await grains.GetGrain<ITenantDirectoryGrain>(0).TenantOfAsync(partner, environment.Value)
            ?? throw new NotFoundException("No such partner.");
    }

    private static NotFoundException NoSuchTenant() => new("No tenant exists with this id.");

    [GeneratedRegex("^ten_(live|test)_[0-9a-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex TenantIdPattern();
}
