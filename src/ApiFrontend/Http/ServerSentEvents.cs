using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Vectros.ApiFrontend.Contracts;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.ApiFrontend.Http;

/// <summary>
/// Writes a grain's inference events as Server-Sent Events. The first event is read before the response starts, so a
/// call refused before streaming (400/402/403/404/409/413/503) is still an ordinary HTTP error; after that each event
/// is written and flushed on its own. The client going away (<c>RequestAborted</c>) cancels the enumeration, which
/// cancels the model call in the grain.
/// </summary>
public static class ServerSentEvents
{
    public const string ContentType = "text/event-stream";

    private static readonly byte[] Heartbeat = Encoding.UTF8.GetBytes(": heartbeat\n\n");

    public static async Task<IResult> StreamAsync(HttpContext context, IAsyncEnumerable<InferenceEvent> events)
    {
        var aborted = context.RequestAborted;
        await using var enumerator = events.GetAsyncEnumerator(aborted);
        if (!await enumerator.MoveNextAsync())
        {
            throw new InvalidOperationException("An inference stream ended before its first event.");
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        try
        {
            do
            {
                await WriteAsync(response, enumerator.Current, aborted);
            }
            while (await enumerator.MoveNextAsync());
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left; the grain has been told and settles what was used.
        }
        catch (Exception) when (!aborted.IsCancellationRequested)
        {
            // The stream is open, so no HTTP status can say it failed: an error event ends it (spec L10133).
            await WriteAsync(response, new InferenceError("inference_error", "The stream failed; the answer is incomplete."), aborted);
        }

        return Results.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, InferenceEvent e, CancellationToken cancellationToken)
    {
        if (StreamEventBody.From(e) is not { } body)
        {
            await response.Body.WriteAsync(Heartbeat, cancellationToken);
        }
        else
        {
            // JSON never holds a raw line break (they are escaped), so one data: line carries the whole payload.
            var json = JsonSerializer.Serialize(body, body.GetType(), ApiJson.Response);
            await response.WriteAsync($"event: {body.Type}\ndata: {json}\n\n", cancellationToken);
        }

        await response.Body.FlushAsync(cancellationToken);
    }
}
