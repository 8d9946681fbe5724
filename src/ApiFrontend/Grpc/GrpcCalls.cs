using Grpc.AspNetCore.Server;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>What the shared HTTP pipeline needs to know about a gRPC call.</summary>
public static class GrpcCalls
{
    /// <summary>The package of our services; health checking and reflection are the only others served.</summary>
    public const string Package = "vectros.v1";

    /// <summary>A gRPC request (any service), by its content type as the gRPC over HTTP/2 spec defines it.</summary>
    public static bool IsGrpcRequest(HttpContext context) =>
        context.Request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>A call to one of the Vectros services (as opposed to health checking or reflection): it needs a credential.</summary>
    public static bool IsVectrosCall(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { } method
        && method.Method.ServiceName.StartsWith(Package + ".", StringComparison.Ordinal);

    /// <summary>The method's <see cref="GrpcWriteAttribute"/>, if the call writes.</summary>
    public static GrpcWriteAttribute? Write(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<GrpcWriteAttribute>();
}

/// <summary>
/// Marks a gRPC method that writes, as the HTTP API's non-GET operations do: it counts against the per-credential
/// write limit, and a <paramref name="dataPlane"/> write into an app context that is being deleted answers
/// NOT_FOUND as the HTTP data-plane routes do (<see cref="Auth.ScopedAccessMiddleware"/>). Every gRPC method is a
/// POST on the wire, so the method, not the verb, says what it does.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class GrpcWriteAttribute(bool dataPlane = true) : Attribute
{
    public bool DataPlane { get; } = dataPlane;
}
