using Grpc.Core;
using Grpc.Core.Interceptors;
using Vectros.ApiFrontend.Http;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// Turns what a service method throws into the status the HTTP API would have answered (same classification, same
/// logging of 5xx), so a client sees NOT_FOUND, ABORTED, INVALID_ARGUMENT… with the errorCode in the details.
/// A cancelled or expired call is left to the framework, which answers CANCELLED or DEADLINE_EXCEEDED.
/// </summary>
public sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (Translate(e, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (Translate(e, context) is { } rpc)
        {
            throw rpc;
        }
    }

    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        if (exception is RpcException || (exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            return null;
        }

        var http = context.GetHttpContext();
        var (status, code, message, field) = ApiExceptionHandler.Classify(exception, clientAborted: false);
        if (status >= 500)
        {
            ApiExceptionHandler.LogUnhandled(logger, exception, http.TraceIdentifier);
        }

        http.Items[ErrorResponses.ErrorCodeItem] = code;
        http.Items[GrpcStatuses.HttpStatusItem] = status;
        return GrpcStatuses.Build(status, code, message, field, http.TraceIdentifier).ToRpcException();
    }
}
