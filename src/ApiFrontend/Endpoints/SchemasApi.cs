using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Schemas;
using Orleans;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>/v1/schemas</c> exactly as the spec describes it (L4104–L4435). Schemas live in the caller's context;
/// an id from another tenant or context answers the same 404 as a missing one.
/// </summary>
public static class SchemasApi
{
    /// <summary>The versions endpoint takes <c>startFrom</c> only (spec L4400), so its page size is fixed.</summary>
    private const int VersionsPageSize = 20;

    public static IEndpointRouteBuilder MapSchemasApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/schemas").WithTags("Schemas");

        group.MapGet("/", ListAsync).RequireScope("schemas:r").WithName("listSchemas").WithSummary("List record schemas")
            .Produces<PageResponse<SchemaResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<SchemaRequest>().RequireScope("schemas:c").WithName("createSchema").WithSummary("Create a record schema")
            .Produces<SchemaResponse>(201).Produces<SchemaResponse>().ProducesApiErrors(400, 403, 409);
        group.MapGet("/{id}", GetAsync).RequireScope("schemas:r").WithName("getSchema").WithSummary("Get a record schema by ID")
            .Produces<SchemaResponse>().ProducesApiErrors(403, 404);
        group.MapPut("/{id}", UpdateAsync).DescribesBody<SchemaRequest>().RequireScope("schemas:u").WithName("updateSchema").WithSummary("Update a record schema")
            .Produces<SchemaResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).RequireScope("schemas:d").WithName("deleteSchema").WithSummary("Delete a record schema")
            .Produces(204).ProducesApiErrors(403, 404, 409);
        group.MapGet("/{id}/versions", VersionsAsync).RequireScope("schemas:r").WithName("getSchemaVersions")
            .WithSummary("Get a record schema's version history")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var query = new SchemaListQuery(
            Uuid(QueryParams.Optional(request, "userId"), "userId"),
            ScopeFilters.Read(request),
            QueryParams.Optional(request, "surface"),
            QueryParams.Optional(request, "recordType"),
            ListCursors.Unwrap(context),
            QueryParams.Limit(request));

        var page = await ListSchemasAsync(caller, grains, query);
        return TypedResults.Ok(new PageResponse<SchemaResponse>(
            page.Data.Select(v => SchemaResponse.From(v)).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    /// <summary>A list of a read query, shared with the gRPC service.</summary>
    internal static async Task<SchemaPage> ListSchemasAsync(CallerContext caller, IGrainFactory grains, SchemaListQuery query)
    {
        // With recordType, userId/scope select whose basedOn variant resolves: a root key only (0.40 §5). Other
        // callers resolve the base (credentials carry no owner identity of their own yet).
        if (query.RecordType is not null && !caller.IsRoot)
        {
            query = query with { UserId = null, Scopes = [] };
        }

        // A type name that cannot exist resolves to nothing: the spec's empty page, not an error.
        if (query.RecordType is not null && !SchemaTypeNames.IsValid(query.RecordType))
        {
            return new SchemaPage([], null);
        }

        return await grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey).ListAsync(query);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();

        // Upsert overwrites, so it needs schemas:u beside the route's schemas:c (0.40; schemas:w grants both).
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("schemas:u");
        }

        var body = await ReadAsync(context);
        var result = await CreateSchemaAsync(caller, grains, body, upsert);
        var response = SchemaResponse.From(result.Schema, result.Created);
        return result.Created ? TypedResults.Created($"/v1/schemas/{response.Id}", response) : TypedResults.Ok(response);
    }

    /// <summary>A create of a read body, shared with the gRPC service; the caller has checked the upsert scope.</summary>
    internal static Task<SchemaCreateResult> CreateSchemaAsync(CallerContext caller, IGrainFactory grains, SchemaRequest body, bool upsert)
    {
        if (string.IsNullOrEmpty(body.TypeName))
        {
            throw new ValidationException("typeName", "typeName is required.");
        }

        if (!SchemaTypeNames.IsValid(body.TypeName))
        {
            throw new ValidationException("typeName",
                $"typeName must be 1-{SchemaTypeNames.MaxLength} characters: a letter followed by letters, digits, '_' or '-'.");
        }

        // The base's grain takes every create of its type name and hands other owners' to their basedOn variant.
        return grains.GetGrain<ISchemaGrain>(caller.KeyFor(body.TypeName)).CreateAsync(caller, body.ToDefinition(), upsert);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (_, view) = await FindAsync(context, grains, id);
        return TypedResults.Ok(SchemaResponse.From(view));
    }

    // PUT and DELETE check the id and write in one grain call: the grain refuses an id that is no longer its schema's,
    // so a delete-and-recreate of the type after the id was resolved to a type name cannot be changed by mistake.
    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, schemaId) = await ResolveAsync(context, grains, id);
        var body = await ReadAsync(context);
        var view = await grain.PutAsync(context.GetCaller(), body.ToPatch(), schemaId);
        return TypedResults.Ok(SchemaResponse.From(view));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var (grain, schemaId) = await ResolveAsync(context, grains, id);
        await grain.DeleteAsync(context.GetCaller(), schemaId);
        return TypedResults.NoContent();
    }

    /// <summary>The grain that held the id (missing, malformed and foreign ids are one 404); the grain re-checks the id.</summary>
    internal static async Task<(ISchemaGrain Grain, Guid SchemaId)> ResolveAsync(HttpContext context, IGrainFactory grains, string id)
    {
        var caller = context.GetCaller();
        var schemaId = ParseId(id);
        var name = await grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey).FindGrainNameAsync(schemaId) ?? throw NotFound();
        return (grains.GetGrain<ISchemaGrain>(caller.KeyFor(name)), schemaId);
    }

    private static async Task<IResult> VersionsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var page = await SchemaVersionsAsync(context.GetCaller(), grains, id, QueryParams.Optional(context.Request, "startFrom"));
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    /// <summary>
    /// By id, not through the schema grain: history outlives the schema and includes its DELETE row (spec L4405).
    /// Shared with the gRPC service.
    /// </summary>
    internal static async Task<Grains.Abstractions.History.VersionPage> SchemaVersionsAsync(CallerContext caller, IGrainFactory grains, string id, string? startFrom) =>
        await grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey).GetVersionsAsync(ParseId(id), startFrom, VersionsPageSize)
        ?? throw NotFound();

    /// <summary>The schema grain for an id of the caller's context; missing, malformed and foreign ids are one 404.</summary>
    internal static async Task<(ISchemaGrain Grain, SchemaView View)> FindAsync(HttpContext context, IGrainFactory grains, string id)
    {
        var caller = context.GetCaller();
        var schemaId = ParseId(id);
        var name = await grains.GetGrain<ISchemaQueryGrain>(caller.ContextKey).FindGrainNameAsync(schemaId) ?? throw NotFound();
        var grain = grains.GetGrain<ISchemaGrain>(caller.KeyFor(name));

        // The type may have been deleted and re-created under a new id in between: that id is gone.
        var view = await grain.GetAsync();
        return view is not null && view.Id == schemaId ? (grain, view) : throw NotFound();
    }

    private static Guid ParseId(string id) => Guid.TryParse(id, out var schemaId) ? schemaId : throw NotFound();

    /// <summary>
    /// Reads a SchemaRequest strictly. Paths are reported without the reader's <c>$.</c> prefix so that a type
    /// error (<c>fields[2].required</c>) and a rule error (<c>fields[2].fieldType</c>) name fields the same way.
    /// </summary>
    private static async Task<SchemaRequest> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonBody.ReadAsync<SchemaRequest>(context.Request, context.RequestAborted);
        }
        catch (ValidationException ex) when (ex.Field?.StartsWith("$.", StringComparison.Ordinal) == true)
        {
            throw new ValidationException(ex.Field[2..], ex.Message.Replace("'" + ex.Field, "'" + ex.Field[2..], StringComparison.Ordinal), ex.ErrorCode);
        }
    }

    internal static Guid? Uuid(string? value, string name) =>
        value is null ? null
        : Guid.TryParse(value, out var id) ? id
        : throw new ValidationException(name, $"{name} must be a Vectros UUID.");

    private static NotFoundException NotFound() => new("No schema with this id exists in your account.");
}
