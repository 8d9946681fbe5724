using Vectros.ApiFrontend.Logs;
using Vectros.ApiFrontend.Metrics;
using Vectros.Silo;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>Unauthenticated operational endpoints: liveness, readiness and Prometheus metrics.</summary>
public static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" }))
            .WithName("healthz").WithSummary("The process is alive").ExcludeFromDescription();

        app.MapGet("/readyz", async (IClusterHealth health, CancellationToken ct) =>
            {
                var (ready, detail) = await health.CheckAsync(ct);
                return ready
                    ? Results.Ok(new { status = "ready" })
                    : Results.Json(new { status = "not_ready", detail }, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .WithName("readyz").WithSummary("Database reachable and migrations applied").ExcludeFromDescription();

        app.MapGet("/metrics", async (HttpMetrics http, OrleansMeters orleans, IClusterHealth health, ApiLogBuffer logs, CancellationToken ct) =>
            {
                var depth = await health.OutboxDepthAsync(ct);
                return Results.Text(
                    PrometheusWriter.Write(http, orleans.Snapshot(), depth) + ApiLogMetrics.Write(logs), "text/plain; version=0.0.4; charset=utf-8");
            })
            .WithName("metrics").WithSummary("Prometheus metrics").ExcludeFromDescription();
        return app;
    }
}
