using Microsoft.AspNetCore.Http.Features;
using Orleans;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Documents;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// The signed file URLs of documents (<see cref="FileUrls"/>): a plain <c>PUT</c> of an upload's raw bytes and a plain
/// <c>GET</c> of a stored file, without an Authorization header (the URL is the credential), like the presigned object
/// URLs the spec describes (L7336, L7277). Not part of the API description: clients only follow these URLs. A refused
/// upload (tampered, expired, replayed, too large, wrong type) is answered before anything is stored.
/// </summary>
public static class DocumentFilesApi
{
    public static IEndpointRouteBuilder MapDocumentFilesApi(this IEndpointRouteBuilder app)
    {
        app.MapPut(FileUrls.UploadRoute + "/{token}", UploadAsync).ExcludeFromDescription();
        app.MapGet(FileUrls.DownloadRoute + "/{token}", DownloadAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> UploadAsync(string token, HttpContext context, IGrainFactory grains, FileUrls urls)
    {
        var grant = urls.OpenUpload(token);
        var request = context.Request;
        if (request.ContentType is { Length: > 0 } type && !string.Equals(MediaType(type), MediaType(grant.FileType ?? ""), StringComparison.OrdinalIgnoreCase))
        {
            return Error(context, StatusCodes.Status415UnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE",
                $"Content-Type must be {grant.FileType}, the fileType given when the upload was started.");
        }

        if (request.ContentLength > grant.MaxBytes)
        {
            return TooLarge(context, grant.MaxBytes);
        }

        // The server-wide body cap is for JSON; this route takes up to the ticket's bound (plus one byte to notice more).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = grant.MaxBytes + 1;
        }

        var bytes = await ReadAtMostAsync(request.Body, grant.MaxBytes, context.RequestAborted);
        if (bytes is null)
        {
            return TooLarge(context, grant.MaxBytes);
        }

        if (bytes.Length == 0)
        {
            return Error(context, StatusCodes.Status400BadRequest, "VALIDATION_ERROR", "The upload is empty: PUT the file's bytes as the request body.");
        }

        await grains.GetGrain<IDocumentGrain>(grant.DocumentKey).StoreUploadAsync(new UploadContent(grant.TicketId!.Value, request.ContentType, bytes));
        return TypedResults.Ok();
    }

    private static async Task<IResult> DownloadAsync(string token, HttpContext context, IGrainFactory grains, FileUrls urls)
    {
        var grant = urls.OpenDownload(token);
        var file = await grains.GetGrain<IDocumentGrain>(grant.DocumentKey).ReadFileAsync();
        if (file is null)
        {
            return Error(context, StatusCodes.Status404NotFound, "NOT_FOUND", "The file no longer exists.");
        }

        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(file.Bytes, file.FileType, file.FileName);
    }

    /// <summary>The body, or null as soon as it exceeds <paramref name="maxBytes"/> (a chunked body has no length to check first).</summary>
    private static async Task<byte[]?> ReadAtMostAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult TooLarge(HttpContext context, long maxBytes) =>
        Error(context, StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE", TooLargeMessage(maxBytes));

    /// <summary>The refusal of a file over the upload bound; the gRPC ingest answers it too.</summary>
    internal static string TooLargeMessage(long maxBytes) =>
        $"The file is larger than this upload accepts ({maxBytes} bytes, Vectros:Documents:MaxFileBytes); nothing was stored.";

    private static IResult Error(HttpContext context, int status, string code, string message) =>
        TypedResults.Json(new ApiError(code, message, context.TraceIdentifier), ApiJson.Response, statusCode: status);

    private static string MediaType(string contentType) => contentType.Split(';', 2)[0].Trim();
}
