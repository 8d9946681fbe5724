namespace Vectros.ApiFrontend.Http;

/// <summary>Writes the standard error body.</summary>
public static class ErrorResponses
{
    /// <summary><c>HttpContext.Items</c> key holding the errorCode a response carried (read by the admin log).</summary>
    public const string ErrorCodeItem = "vectros.errorCode";

    /// <param name="keepHeaders">Keep headers already set (e.g. the rate limiter's); otherwise the response is reset.</param>
    public static async Task WriteAsync(HttpContext context, int status, string code, string message, string? field = null, bool keepHeaders = false)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (!keepHeaders)
        {
            context.Response.Clear();
        }

        context.Items[ErrorCodeItem] = code;
        if (Grpc.GrpcCalls.IsGrpcRequest(context))
        {
            // The same refusal for a gRPC caller: a status its client library understands (issue #12 item 2).
            await Grpc.GrpcStatuses.WriteTrailersOnlyAsync(context, status, code, message, field);
            return;
        }

        context.Response.StatusCode = status;
        var details = field is null ? null : new Dictionary<string, string> { ["field"] = field };
        await context.Response.WriteAsJsonAsync(
            new ApiError(code, message, context.TraceIdentifier, details), ApiJson.Response, context.RequestAborted);
    }

    /// <summary>
    /// Bodies for framework-produced statuses (unknown route, wrong method) so every error looks alike. The framework's
    /// headers stay: a 405 must say what is allowed (RFC 9110 §15.5.6).
    /// </summary>
    public static Task WriteForStatusAsync(HttpContext context) => context.Response.StatusCode switch
    {
        404 when Grpc.GrpcCalls.IsGrpcRequest(context) =>
            WriteAsync(context, 501, "UNIMPLEMENTED", "No such gRPC service or method.", keepHeaders: true),
        404 => WriteAsync(context, 404, "NOT_FOUND", "No such resource.", keepHeaders: true),
        405 => WriteAsync(context, 405, "METHOD_NOT_ALLOWED", "This method is not allowed on this resource.", keepHeaders: true),
        413 => WriteAsync(context, 413, "PAYLOAD_TOO_LARGE", "The request body is larger than this server accepts.", keepHeaders: true),
        415 => WriteAsync(context, 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json.", keepHeaders: true),
        var s when s >= 400 => WriteAsync(context, s, "ERROR", "The request failed.", keepHeaders: true),
        _ => Task.CompletedTask,
    };
}
