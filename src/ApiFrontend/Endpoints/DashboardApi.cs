using Orleans.Dashboard;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// The Orleans Dashboard (silos, grain types, calls, reminders) at <c>/dashboard</c>, for operators only. The
/// dashboard has no authentication of its own, so every request under the prefix (its page, scripts and JSON) is
/// checked for the operator token first; without a configured token the dashboard does not exist (404).
/// </summary>
public static class DashboardApi
{
    public const string Prefix = "/dashboard";

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.UseWhen(
            static context => context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase),
            static branch => branch.Use(static async (context, next) =>
            {
                if (!OperatorToken.IsConfigured(context))
                {
                    await ErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, "NOT_FOUND", "No such resource.");
                    return;
                }

                if (!OperatorToken.IsPresented(context))
                {
                    context.Response.Headers.WWWAuthenticate = OperatorToken.BasicChallenge;
                    await ErrorResponses.WriteAsync(
                        context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                        "The dashboard needs the operator token: Authorization: Bearer TOKEN, or basic authentication with the token as the password.",
                        keepHeaders: true);
                    return;
                }

                await next(context);
            }));
        // Operator tooling, not part of the API: kept out of /openapi/v1.json.
        app.MapOrleansDashboard(Prefix).ExcludeFromDescription();
        return app;
    }
}
