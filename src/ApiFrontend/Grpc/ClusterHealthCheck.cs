using Microsoft.Extensions.Diagnostics.HealthChecks;
using Vectros.Silo;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>The <c>/readyz</c> check (database reachable, migrations applied) as an ASP.NET health check for grpc.health.v1.</summary>
public sealed class ClusterHealthCheck(IClusterHealth health) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (ready, detail) = await health.CheckAsync(cancellationToken);
        return ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(detail);
    }
}
