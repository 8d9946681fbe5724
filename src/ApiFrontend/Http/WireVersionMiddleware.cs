namespace Vectros.ApiFrontend.Http;

/// <summary>
/// The <c>Vectros-Version</c> request header (API-DELTA §1, SDK CL 0.38): it pins the response shape only. Absent →
/// served as today; a published version → echoed on the response; anything else → 400 <c>UNSUPPORTED_WIRE_VERSION</c>
/// with the supported list, before authentication or any other work. Streaming (SSE) endpoints ignore the header:
/// map them with <see cref="WireVersionExtensions.IgnoreWireVersion{TBuilder}"/>.
/// </summary>
public sealed class WireVersionMiddleware(RequestDelegate next)
{
    public const string Header = "Vectros-Version";

    /// <summary>Published versions, oldest first. A new one is published only for a breaking change of a response shape.</summary>
    public static readonly IReadOnlyList<string> Supported = ["2026-08-01"];

    // When a successor is published, a deprecated version gains Deprecation (RFC 9745) and Sunset (RFC 8594) headers
    // here, next to the echo, for the 12 months it stays supported.

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(Header, out var values)
            || context.GetEndpoint()?.Metadata.GetMetadata<IgnoreWireVersionMetadata>() is not null)
        {
            return next(context);
        }

        var version = values.Count == 1 ? values[0]?.Trim() : null;
        if (version is null || !Supported.Contains(version, StringComparer.Ordinal))
        {
            // The value is not quoted back: it is caller input of any length.
            return ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "UNSUPPORTED_WIRE_VERSION",
                $"This {Header} is not supported. Supported versions: {string.Join(", ", Supported)}; omit the header for the default.",
                Header);
        }

        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = version;
            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>Marks an endpoint that ignores <c>Vectros-Version</c> (the SSE endpoints: <c>POST /v1/rag</c>, <c>/v1/chat</c>, <c>/v1/documents/{id}/ask</c>).</summary>
public sealed class IgnoreWireVersionMetadata;

public static class WireVersionExtensions
{
    /// <summary>The endpoint neither validates nor echoes <c>Vectros-Version</c> (CL 0.38: the streaming endpoints ignore it).</summary>
    public static TBuilder IgnoreWireVersion<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IgnoreWireVersionMetadata());
}
