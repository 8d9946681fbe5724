using Orleans;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Domains;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// Verified domains in the developer portal (issue #11 item 1): a partner claims a domain, publishes the DNS TXT
/// challenge, and verifies; webhook URLs must then sit on a verified domain or below it. Operator-token guarded.
/// </summary>
public static class DomainsApi
{
    public sealed record ClaimDomainRequest(string? PartnerId, string? Domain);

    public sealed record DomainChallenge(string Type, string Name, string Value);

    public sealed record DomainResponse(
        string DomainId, Guid PartnerId, string Domain, string Status, DomainChallenge Challenge,
        DateTimeOffset CreatedAt, DateTimeOffset? VerifiedAt, DateTimeOffset? LastCheckedAt, string? LastError)
    {
        public static DomainResponse From(DomainView d) => new(
            d.DomainId, d.PartnerId, d.Domain, d.Status, new DomainChallenge("TXT", d.ChallengeName, d.ChallengeValue),
            d.CreatedAt, d.VerifiedAt, d.LastCheckedAt, d.LastError);
    }

    public sealed record DomainList(IReadOnlyList<DomainResponse> Data);

    public static IEndpointRouteBuilder MapDomainsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/developer/domains").WithTags("Developer portal")
            .AddEndpointFilter(async (ctx, next) =>
            {
                DeveloperPortalApi.RequireOperator(ctx.HttpContext);
                return await next(ctx);
            });

        group.MapPost("", async (HttpContext context, IGrainFactory grains) =>
            {
                var body = await JsonBody.ReadAsync<ClaimDomainRequest>(context.Request, context.RequestAborted);
                var view = await grains.GetGrain<IDomainDirectoryGrain>(0).ClaimAsync(PartnerIdOf(body.PartnerId), body.Domain ?? "");
                var response = DomainResponse.From(view);
                return view.Created ? Results.Created($"/developer/domains/{view.DomainId}", response) : Results.Ok(response);
            })
            .WithName("claimDomain").WithSummary("Claim a domain for webhook URLs; answers the DNS TXT challenge to publish (idempotent per partner and domain)")
            .DescribesBody<ClaimDomainRequest>().Produces<DomainResponse>(StatusCodes.Status201Created).Produces<DomainResponse>()
            .ProducesApiErrors(400, 404, 409);

        group.MapGet("", async (HttpContext context, IGrainFactory grains) =>
            {
                var partnerId = PartnerIdOf(QueryParams.Optional(context.Request, "partnerId", maxLength: 64));
                var list = await grains.GetGrain<IDomainDirectoryGrain>(0).ListAsync(partnerId);
                return TypedResults.Ok(new DomainList(list.Select(DomainResponse.From).ToList()));
            })
            .WithName("getPartnerDomains").WithSummary("A partner's claimed domains (at most 50, so one page)")
            .Produces<DomainList>().ProducesApiErrors(400);

        group.MapGet("/{domainId}", async (string domainId, IGrainFactory grains) =>
                TypedResults.Ok(DomainResponse.From(await Domain(grains, domainId).GetAsync())))
            .WithName("getDomain").WithSummary("A claimed domain and its challenge")
            .Produces<DomainResponse>().ProducesApiErrors(404);

        group.MapPost("/{domainId}/verify", async (string domainId, IGrainFactory grains) =>
                TypedResults.Ok(DomainResponse.From(await Domain(grains, domainId).VerifyAsync())))
            .WithName("verifyDomain").WithSummary("Check the DNS TXT challenge now: 200 verified, 409 DOMAIN_NOT_VERIFIED with what was found")
            .Produces<DomainResponse>().ProducesApiErrors(404, 409);

        group.MapDelete("/{domainId}", async (string domainId, IGrainFactory grains) =>
            {
                await Domain(grains, domainId).DeleteAsync();
                return TypedResults.NoContent();
            })
            .WithName("deleteDomain").WithSummary("Give up a claimed domain (new webhook URLs on it are then refused)")
            .ProducesApiErrors(404);
        return app;
    }

    // Ids are ours (dom_ + 32 hex); anything else cannot exist, so it is the same 404 without a grain call.
    private static IDomainGrain Domain(IGrainFactory grains, string domainId) =>
        domainId.Length == 36 && domainId.StartsWith("dom_", StringComparison.Ordinal) && domainId[4..].All(char.IsAsciiHexDigitLower)
            ? grains.GetGrain<IDomainGrain>(domainId)
            : throw new NotFoundException("No domain exists with this id.");

    private static Guid PartnerIdOf(string? value) =>
        Guid.TryParse(value, out var id) ? id : throw new ValidationException("partnerId", "partnerId (a UUID) is required.");
}
