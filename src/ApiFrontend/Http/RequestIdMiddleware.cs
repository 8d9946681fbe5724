namespace Vectros.ApiFrontend.Http;

/// <summary>Gives every request an id, echoed as <c>X-Request-Id</c> on every response and in every error body.</summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        // Always the server's own: a requestId identifies one call (SDK CL 0.36), so a caller's X-Request-Id is not reused.
        var id = "req_" + Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }
}
