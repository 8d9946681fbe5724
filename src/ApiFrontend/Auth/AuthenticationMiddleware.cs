using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.Auth;

/// <summary>Every <c>/v1</c> request must carry a valid credential: 401 otherwise, before any routing to a handler.</summary>
public sealed class AuthenticationMiddleware(RequestDelegate next, CredentialAuthenticator authenticator)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var principal = header.Length == 0 ? null : await authenticator.AuthenticateAsync(header);
        if (principal is null)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ErrorResponses.WriteAsync(
                context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                header.Length == 0 ? "An Authorization: Bearer credential is required." : "The credential is not valid.",
                keepHeaders: true);
            return;
        }

        context.Items[typeof(Principal)] = principal;
        await next(context);
    }
}
