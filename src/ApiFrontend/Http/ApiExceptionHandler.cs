using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Vectros.Grains.Abstractions.Errors;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// The one place exceptions become HTTP responses. Expected failures keep their message; anything else is a
/// 500 whose body says nothing about the cause (the log has the exception type and the request id).
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, message, field) = Classify(exception, context.RequestAborted.IsCancellationRequested);

        if (status >= 500)
        {
            LogUnhandled(logger, exception, context.TraceIdentifier);
        }

        if (status == StatusCodes.Status503ServiceUnavailable && !context.Response.HasStarted)
        {
            // Every 503 is retryable by definition here; say when (RFC 9110 §10.2.3).
            context.Response.Clear();
            context.Response.Headers.RetryAfter = StorageUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ErrorResponses.WriteAsync(context, status, code, message, field, keepHeaders: true);
            return true;
        }

        await ErrorResponses.WriteAsync(context, status, code, message, field);
        return true;
    }

    /// <summary>
    /// The status, errorCode, message and field of a failure: the one mapping both front doors use (HTTP bodies here,
    /// gRPC statuses in <see cref="Grpc.GrpcStatuses"/>).
    /// </summary>
    public static (int Status, string Code, string Message, string? Field) Classify(Exception exception, bool clientAborted) =>
        exception switch
        {
            ValidationException v => (StatusCodes.Status400BadRequest, v.ErrorCode, v.Message, v.Field),
            NotFoundException n => (StatusCodes.Status404NotFound, n.ErrorCode, n.Message, null),
            ConflictException c => (StatusCodes.Status409Conflict, c.ErrorCode, c.Message, null),
            ForbiddenException f => (StatusCodes.Status403Forbidden, f.ErrorCode, f.Message, null),
            UnavailableException u => (StatusCodes.Status503ServiceUnavailable, u.ErrorCode, u.Message, null),
            PaymentRequiredException p => (StatusCodes.Status402PaymentRequired, p.ErrorCode, p.Message, null),
            TooLargeException t => (StatusCodes.Status413PayloadTooLarge, t.ErrorCode, t.Message, null),
            UnauthorizedException u => (StatusCodes.Status401Unauthorized, "UNAUTHORIZED", u.Message, null),
            InconsistentStateException => (StatusCodes.Status409Conflict, "CONFLICT", "The resource was changed concurrently; retry the request.", null),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                (StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", "The request body is larger than this server accepts.", (string?)null),
            BadHttpRequestException b => (b.StatusCode, "BAD_REQUEST", "The request could not be read.", null),
            TimeoutException => (StatusCodes.Status503ServiceUnavailable, "TIMEOUT", "The request timed out inside the service; retry it.", null),
            // A transient storage fault (connection lost, command timeout, lock timeout, too many connections): retryable,
            // and never an empty page (API-DELTA §1 "Completeness"). Any other storage fault stays the opaque 500 below.
            _ when StorageUnavailable.Is(exception) =>
                (StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", "The data store is briefly unavailable; retry the request.", null),
            // A silo died or is leaving: its grains answer again once the cluster has re-activated them elsewhere.
            SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException =>
                (StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", "The service is briefly unavailable; retry the request.", null),
            OperationCanceledException when clientAborted => (499, "CLIENT_CLOSED", "The client closed the request.", null),
            _ => (StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "An internal error occurred.", null),
        };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} failed")]
    internal static partial void LogUnhandled(ILogger logger, Exception exception, string requestId);
}

/// <summary>Missing or unknown credential.</summary>
public sealed class UnauthorizedException(string message) : Exception(message);
