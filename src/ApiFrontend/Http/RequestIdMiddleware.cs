using System.Text.RegularExpressions;

namespace Vectros.ApiFrontend.Http;

/// <summary>Gives every request an id, echoed as <c>X-Request-Id</c> on every response and in every error body.</summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        // A caller-supplied id is kept when it is short and plain, so clients can correlate their own logs.
        var incoming = context.Request.Headers[Header].ToString();
        var id = SafeId().IsMatch(incoming) ? incoming : "req_" + Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            return Task.CompletedTask;
        });
        return next(context);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeId();
}
