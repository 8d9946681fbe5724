using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Vectros.TestSupport;
using Xunit;

namespace Vectros.Api.Tests.Grpc;

/// <summary>API tests through the real gRPC listener: a channel with the class's test-tenant root key.</summary>
public abstract class GrpcTestBase : ApiTestBase
{
    protected GrpcChannel Channel { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Channel = Server.CreateGrpcChannel(Partner.TestKey.RawKey);
    }

    public override async Task DisposeAsync()
    {
        Channel.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Runs a call expected to fail and returns its status with the Vectros details decoded.</summary>
    protected static async Task<GrpcFailure> FailsAsync<T>(Func<Task<T>> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () => await call());
        return GrpcFailure.From(e);
    }

    protected static Task<GrpcFailure> FailsAsync<T>(AsyncUnaryCall<T> call) => FailsAsync(() => call.ResponseAsync);
}

/// <summary>A failed call: the code, and the HTTP errorCode and field violation carried in the rich status.</summary>
public sealed record GrpcFailure(StatusCode Code, string? ErrorCode, string? Field, string Message, string? RequestId)
{
    public static GrpcFailure From(RpcException e)
    {
        var status = e.GetRpcStatus();
        var info = status?.GetDetail<ErrorInfo>();
        var field = status?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;
        return new GrpcFailure(e.StatusCode, info?.Reason, field, e.Status.Detail, info?.Metadata.GetValueOrDefault("requestId"));
    }
}
