using System.Globalization;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Status = Google.Rpc.Status;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// The HTTP API's failures as gRPC statuses (issue #12 item 2): the same classification
/// (<see cref="Http.ApiExceptionHandler.Classify"/>) mapped to a status code, with the HTTP <c>errorCode</c> and the
/// request id in a <c>google.rpc.ErrorInfo</c> and a validation failure's field in a <c>google.rpc.BadRequest</c>,
/// both inside <c>grpc-status-details-bin</c>.
/// </summary>
public static class GrpcStatuses
{
    /// <summary><c>ErrorInfo.domain</c> of every Vectros error.</summary>
    public const string Domain = "vectros.dev";

    /// <summary><c>HttpContext.Items</c> key: the HTTP status a failed gRPC call stands for (read by the admin log).</summary>
    public const string HttpStatusItem = "vectros.grpc.httpStatus";

    public static StatusCode CodeFor(int httpStatus, string errorCode) => httpStatus switch
    {
        400 or 413 or 415 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        402 => StatusCode.FailedPrecondition,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        // A duplicate (unique lookup value, name, e-mail) already exists; a resource in use or not ready refuses the
        // operation until the caller changes something; every other 409 is a lost race or a version check: retry
        // after re-reading.
        409 when errorCode is "UNIQUE_VIOLATION" or "EMAIL_IN_USE" || errorCode.Contains("DUPLICATE", StringComparison.Ordinal)
            || errorCode.EndsWith("_EXISTS", StringComparison.Ordinal) => StatusCode.AlreadyExists,
        409 when errorCode.EndsWith("_IN_USE", StringComparison.Ordinal) || errorCode.EndsWith("_NOT_READY", StringComparison.Ordinal)
            || errorCode is "LAST_OWNER" or "AUDIT_HISTORY_DISABLED" or "DOMAIN_NOT_VERIFIED" or "DOMAIN_LIMIT_REACHED"
            => StatusCode.FailedPrecondition,
        409 => StatusCode.Aborted,
        429 => StatusCode.ResourceExhausted,
        499 => StatusCode.Cancelled,
        501 => StatusCode.Unimplemented,
        503 => StatusCode.Unavailable,
        504 => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };

    /// <summary>The rich status for one failure.</summary>
    public static Status Build(int httpStatus, string errorCode, string message, string? field, string requestId)
    {
        var status = new Status
        {
            Code = (int)CodeFor(httpStatus, errorCode),
            Message = message,
            Details =
            {
                Any.Pack(new ErrorInfo
                {
                    Reason = errorCode,
                    Domain = Domain,
                    Metadata = { ["requestId"] = requestId, ["httpStatus"] = httpStatus.ToString(CultureInfo.InvariantCulture) },
                }),
            },
        };
        if (field is not null)
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = ProtoFieldPath(field), Description = message } },
            }));
        }

        return status;
    }

    /// <summary>
    /// A failure before the gRPC service runs (authentication, rate limit, context checks) as a trailers-only
    /// response: HTTP 200 with the status in the headers, as a gRPC server answers an error before any message.
    /// </summary>
    public static async Task WriteTrailersOnlyAsync(HttpContext context, int httpStatus, string errorCode, string message, string? field)
    {
        var status = Build(httpStatus, errorCode, message, field, context.TraceIdentifier);
        context.Items[HttpStatusItem] = httpStatus;
        var headers = context.Response.Headers;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = PercentEncode(message);
        headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray());
        await context.Response.CompleteAsync();
    }

    /// <summary>
    /// A validation field path in proto terms: the leading member becomes its proto field name
    /// (<c>expectedVersion</c> → <c>expected_version</c>); the rest (payload paths, indexes) is the caller's own data.
    /// </summary>
    public static string ProtoFieldPath(string field)
    {
        var end = field.IndexOfAny(['.', '[']);
        var head = end < 0 ? field : field[..end];
        var snake = new StringBuilder(head.Length + 4);
        foreach (var c in head)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                snake.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }

        return end < 0 ? snake.ToString() : snake + field[end..];
    }

    /// <summary><c>grpc-message</c> is percent-encoded UTF-8 outside printable ASCII (gRPC over HTTP/2 spec).</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
