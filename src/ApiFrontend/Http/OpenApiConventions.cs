namespace Vectros.ApiFrontend.Http;

/// <summary>
/// How a route describes its responses in <c>/openapi/v1.json</c> (issue #7 item 8). Handlers return
/// <c>Task&lt;IResult&gt;</c>, which the generator cannot see into, so each route states its answers beside its
/// name and summary, on the <c>Map…</c> line and nowhere else:
/// <code>
/// group.MapPost("/", CreateAsync).WithName("createWidget").WithSummary("Create a widget")
///     .Produces&lt;WidgetResponse&gt;(StatusCodes.Status201Created).Produces&lt;WidgetResponse&gt;()
///     .ProducesApiErrors(400, 403, 409);
/// </code>
/// <list type="bullet">
/// <item>Success bodies: the framework's <c>.Produces&lt;T&gt;(status)</c> (200 by default), <c>.Produces(204)</c>
/// for an empty one.</item>
/// <item>The statuses the handler or its filters answer (400 validation, 403 scope, 404 missing, 409 conflict,
/// 501 reserved): <see cref="ProducesApiErrors{TBuilder}"/>, which documents the <see cref="ApiError"/> body.</item>
/// <item>What middleware answers on every route is added for you by the document transformer
/// (<see cref="Endpoints.ApiReferenceApi"/>): 401 on every <c>/v1</c> and <c>/developer</c> operation
/// (DESIGN §5a), 429 on every <c>/v1</c> operation that is not a GET (the rate limiter's rule), and the
/// credential each needs.</item>
/// </list>
/// <item>A typed JSON request body: <see cref="DescribesBody{TRequest}"/>. Not the framework's <c>.Accepts&lt;T&gt;()</c>:
/// that also makes routing answer 415 for another content type, where the API answers its own 400.</item>
/// Routes that are not part of the API (probes, metrics) say <c>.ExcludeFromDescription()</c>.
/// <c>OpenApiDocumentTests</c> checks every named route is in the document under its operation id.
/// </summary>
public static class OpenApiConventions
{
    private static readonly string[] _json = ["application/json"];

    /// <summary>Documents <typeparamref name="TRequest"/> as the route's JSON request body (documentation only).</summary>
    public static RouteHandlerBuilder DescribesBody<TRequest>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new RequestBodyDoc(typeof(TRequest)));

    /// <summary>Documents the <see cref="ApiError"/> body for each status in <paramref name="statuses"/>.</summary>
    public static TBuilder ProducesApiErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ApiError), _json));
        }

        return builder;
    }
}

/// <summary>Route metadata read by the document's operation transformer: the request body's type.</summary>
public sealed record RequestBodyDoc(Type Type);
