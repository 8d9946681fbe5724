using System.Text.Json;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Folders;
using Orleans;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary><c>/v1/folders</c> as the spec describes it (L2497–L2850, issue #3 item 5).</summary>
public static class FoldersApi
{
    /// <summary>Fields a PATCH may carry; <c>slug</c> and <c>parentFolderId</c> are refused by name (spec L2760).</summary>
    private static readonly HashSet<string> _patchable = new(StringComparer.Ordinal)
    {
        "name", "description", "userId", "orgId", "clientId", "expectedVersion", "scopes",
    };

    public static IEndpointRouteBuilder MapFoldersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/folders").WithTags("Folders");

        group.MapGet("/", ListAsync).RequireScope("folders:r").WithName("listFolders").WithSummary("List folders")
            .Produces<PageResponse<FolderResponse>>().ProducesApiErrors(400, 403);
        group.MapPost("/", CreateAsync).DescribesBody<FolderRequest>().RequireScope("folders:c").WithName("createFolder").WithSummary("Create a folder")
            .Produces<FolderResponse>(201).Produces<FolderResponse>().ProducesApiErrors(400, 403, 409);
        group.MapGet("/{id}", GetAsync).RequireScope("folders:r").WithName("getFolder").WithSummary("Get a folder by ID")
            .Produces<FolderResponse>().ProducesApiErrors(403, 404);
        group.MapPut("/{id}", UpdateAsync).DescribesBody<FolderRequest>().RequireScope("folders:u").WithName("updateFolder").WithSummary("Update a folder")
            .Produces<FolderResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapPatch("/{id}", PatchAsync).RequireScope("folders:u").WithName("patchFolder")
            .WithSummary("Partially update a folder (RFC 7386 JSON Merge Patch)")
            .Produces<FolderResponse>().ProducesApiErrors(400, 403, 404, 409);
        group.MapDelete("/{id}", DeleteAsync).RequireScope("folders:d").WithName("deleteFolder").WithSummary("Delete a folder")
            .Produces(204).ProducesApiErrors(400, 403, 404, 409);
        group.MapGet("/{id}/versions", GetVersionsAsync).RequireScope("folders:r").WithName("getFolderVersions")
            .WithSummary("Get version history for a folder")
            .Produces<PageResponse<ModelDataVersionResponse>>().ProducesApiErrors(400, 403, 404);
        return app;
    }

    private static async Task<IResult> ListAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var query = new FolderListQuery(
            QueryId(request, "parentFolderId"),
            QueryId(request, "userId"),
            ScopeFilters.Read(request),
            ListCursors.Unwrap(context),
            QueryParams.Limit(request));
        var page = await grains.GetGrain<IFolderDirectoryGrain>(caller.ContextKey).ListAsync(caller, query);
        return TypedResults.Ok(new PageResponse<FolderResponse>(
            page.Data.Select(v => FolderResponse.From(v)).ToList(), ListCursors.Wrap(context, page.NextCursor)));
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var upsert = QueryParams.Flag(context.Request, "upsert");
        if (upsert)
        {
            context.Demand("folders:u");
        }

        var body = await JsonBody.ReadAsync<FolderRequest>(context.Request, context.RequestAborted);
        var command = CreateCommand(body, upsert);
        var result = await grains.GetGrain<IFolderDirectoryGrain>(caller.ContextKey).CreateAsync(caller, command);
        var response = FolderResponse.From(result.Folder, result.Created);
        return result.Created ? TypedResults.Created($"/v1/folders/{response.Id}", response) : TypedResults.Ok(response);
    }

    /// <summary>The command of a create body, shared with the gRPC service.</summary>
    internal static CreateFolderCommand CreateCommand(FolderRequest body, bool upsert)
    {
        var name = CheckName(body.Name ?? throw new ValidationException("name", "name is required."));
        string slug;
        if (body.Slug is null)
        {
            slug = FolderRules.DeriveSlug(name);
        }
        else
        {
            slug = FolderRules.IsValidSlug(body.Slug)
                ? body.Slug
                : throw new ValidationException("slug", $"slug must be 1-{FolderRules.MaxSlugLength} lowercase letters, digits and hyphens.");
        }

        // expectedVersion is ignored on create (spec L7945).
        return new CreateFolderCommand(
            name,
            CheckDescription(body.Description),
            slug,
            BodyId(body.ParentFolderId, "parentFolderId"),
            BodyId(body.UserId, "userId"),
            BodyId(body.OrgId, "orgId"),
            BodyId(body.ClientId, "clientId"),
            upsert,
            OwnershipScopes.ReadDeclaration(body.Scopes, body.OrgId is not null || body.ClientId is not null));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var view = await Grain(caller, grains, id).GetAsync(caller) ?? throw NotFound();
        return TypedResults.Ok(FolderResponse.From(view));
    }

    /// <summary>PUT: partial; null or absent keeps a field; slug and parentFolderId are ignored (spec L2670, L7904).</summary>
    private static async Task<IResult> UpdateAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        var body = await JsonBody.ReadAsync<FolderRequest>(context.Request, context.RequestAborted);
        return TypedResults.Ok(FolderResponse.From(await grain.UpdateAsync(caller, UpdateCommand(body))));
    }

    /// <summary>The command of a PUT body (slug and parentFolderId ignored), shared with the gRPC service.</summary>
    internal static UpdateFolderCommand UpdateCommand(FolderRequest body) =>
        new(
            body.Name is null ? null : CheckName(body.Name),
            CheckDescription(body.Description),
            BodyId(body.UserId, "userId"),
            BodyId(body.OrgId, "orgId"),
            BodyId(body.ClientId, "clientId"),
            body.ExpectedVersion,
            OwnershipScopes.ReadDeclaration(body.Scopes, body.OrgId is not null || body.ClientId is not null));

    /// <summary>
    /// PATCH (RFC 7386 over a flat object): present fields apply, absent ones stay. A null is refused because clearing
    /// is not supported, and slug or parentFolderId are refused because a folder cannot be re-slugged or moved (L2755).
    /// </summary>
    private static async Task<IResult> PatchAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        using var document = await JsonBody.ReadAsync<JsonDocument>(context.Request, context.RequestAborted);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new ValidationException(null, "The request body must be a JSON object.");
        }

        var body = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var field = property.Name;
            if (field is "slug" or "parentFolderId")
            {
                throw Immutable(field);
            }

            if (!_patchable.Contains(field))
            {
                throw new ValidationException($"$.{field}", $"Unknown field '$.{field}'.");
            }

            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                throw new ValidationException(field, $"{field} must not be null: clearing a field is not supported; omit it to keep the value.");
            }

            // Clients disagree about which of two equal members wins, so neither does.
            if (!body.TryAdd(field, property.Value))
            {
                throw new ValidationException($"$.{field}", $"The field '$.{field}' appears more than once.");
            }
        }

        var name = PatchString(body, "name");
        var command = new UpdateFolderCommand(
            name is null ? null : CheckName(name),
            CheckDescription(PatchString(body, "description")),
            BodyId(PatchString(body, "userId"), "userId"),
            BodyId(PatchString(body, "orgId"), "orgId"),
            BodyId(PatchString(body, "clientId"), "clientId"),
            PatchVersion(body),
            OwnershipScopes.ReadDeclaration(
                body.TryGetValue("scopes", out var scopes) ? System.Text.Json.Nodes.JsonNode.Parse(scopes.GetRawText()) : null,
                body.ContainsKey("orgId") || body.ContainsKey("clientId")));
        return TypedResults.Ok(FolderResponse.From(await grain.UpdateAsync(caller, command)));
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        await Grain(caller, grains, id).DeleteAsync(caller);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> GetVersionsAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var grain = Grain(caller, grains, id);
        var page = await grain.GetVersionsAsync(caller, QueryParams.Optional(context.Request, "startFrom"), QueryParams.Limit(context.Request));
        return TypedResults.Ok(ModelDataVersionResponse.Page(page));
    }

    /// <summary>The caller's folder grain; an id that is not a UUID is as absent as a missing one.</summary>
    internal static IFolderGrain Grain(CallerContext caller, IGrainFactory grains, string id) =>
        Guid.TryParseExact(id, "D", out var folderId)
            ? grains.GetGrain<IFolderGrain>(caller.KeyFor(folderId.ToString()))
            : throw NotFound();

    /// <summary>PATCH refuses slug and parentFolderId by name (spec L2760).</summary>
    internal static ValidationException Immutable(string field) =>
        new(field, $"{field} is immutable: a folder cannot be re-slugged or moved.");

    internal static NotFoundException NotFound() => new("No folder with this id exists.");

    private static string CheckName(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new ValidationException("name", "name must not be empty.");
        }

        return trimmed.Length <= FolderRules.MaxNameLength
            ? trimmed
            : throw new ValidationException("name", $"name must be at most {FolderRules.MaxNameLength} characters.");
    }

    private static string? CheckDescription(string? description) =>
        description is { Length: > FolderRules.MaxDescriptionLength }
            ? throw new ValidationException("description", $"description must be at most {FolderRules.MaxDescriptionLength} characters.")
            : description;

    /// <summary>Owner and parent ids are Vectros UUIDs (spec §1.1).</summary>
    internal static Guid? BodyId(string? value, string field) =>
        value is null ? null
        : Guid.TryParseExact(value, "D", out var id) ? id
        : throw new ValidationException(field, $"{field} must be a UUID.");

    private static Guid? QueryId(HttpRequest request, string name) => BodyId(QueryParams.Optional(request, name), name);

    private static string? PatchString(Dictionary<string, JsonElement> body, string field) =>
        !body.TryGetValue(field, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new ValidationException($"$.{field}", $"Invalid value for '$.{field}': expected a string.");

    private static long? PatchVersion(Dictionary<string, JsonElement> body) =>
        !body.TryGetValue("expectedVersion", out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var version) ? version
        : throw new ValidationException("$.expectedVersion", "Invalid value for '$.expectedVersion': expected an integer.");
}
