using Grpc.Core;
using Microsoft.Extensions.Options;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Endpoints;
using Vectros.V1;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary><c>vectros.v1.Ping</c>: <c>GET /v1/ping</c> over gRPC, built by the same code.</summary>
public sealed class PingService(IOptions<ApiOptions> options) : Ping.PingBase
{
    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context)
    {
        var principal = context.GetHttpContext().GetPrincipal();
        var ping = PingApi.Describe(principal, options.Value.Environment);
        var response = new PingResponse
        {
            Status = ping.Status,
            TenantId = ping.TenantId,
            Environment = ping.Environment,
            PrincipalType = ProtoValues.Enum<PrincipalType>(ping.PrincipalType.ToUpperInvariant()),
            PrincipalKeyId = ping.PrincipalKeyId,
            TokenExpiresAt = ping.TokenExpiresAt is { } exp ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(exp)) : null,
            ContextId = principal.ContextId,
        };
        if (ping.PrincipalLabel is { } label)
        {
            response.PrincipalLabel = label;
        }

        response.AllowedActions.AddRange(ping.AllowedActions ?? []);
        if (ping.DataScope is { } scope)
        {
            response.DataScope = new PingDataScope();
            if (scope.UserId is { } user)
            {
                response.DataScope.UserId = user;
            }

            if (scope.OrgId is { } org)
            {
                response.DataScope.OrgId = org;
            }

            response.DataScope.Scopes.AddRange(scope.Scopes ?? []);
        }

        return Task.FromResult(response);
    }
}
