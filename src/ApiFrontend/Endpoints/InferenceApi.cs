using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;

namespace Vectros.ApiFrontend.Endpoints;

/// <summary>
/// <c>POST /v1/chat</c>, <c>POST /v1/rag</c> and <c>POST /v1/documents/{id}/ask</c> (spec L5036, L5137, L5082): each
/// runs one inference grain call and streams its events as SSE (<see cref="ServerSentEvents"/>). The credential needs
/// <c>inference:r</c> (root keys always have it).
/// </summary>
public static class InferenceApi
{
    public static IEndpointRouteBuilder MapInferenceApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat", ChatAsync).DescribesBody<ChatRequest>().RequireScope("inference:r").WithTags("Inference")
            .WithName("chatInference").WithSummary("Stateless chat, streamed as Server-Sent Events")
            .Produces<ChatStreamEvent>(StatusCodes.Status200OK, ServerSentEvents.ContentType).ProducesApiErrors(400, 402, 403, 413);
        app.MapPost("/v1/rag", RagAsync).DescribesBody<RagRequest>().RequireScope("inference:r").WithTags("Inference")
            .WithName("ragInference").WithSummary("Search, then answer from the results with citations, streamed as Server-Sent Events")
            .Produces<RagStreamEvent>(StatusCodes.Status200OK, ServerSentEvents.ContentType).ProducesApiErrors(400, 402, 403, 500, 503);
        app.MapPost("/v1/documents/{id}/ask", AskAsync).DescribesBody<DocumentAskRequest>().RequireScope("inference:r").WithTags("Inference")
            .WithName("documentAsk").WithSummary("Answer a question from one document, streamed as Server-Sent Events")
            .Produces<DocumentAskStreamEvent>(StatusCodes.Status200OK, ServerSentEvents.ContentType).ProducesApiErrors(400, 402, 403, 404, 409, 413);
        return app;
    }

    private static async Task<IResult> ChatAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var call = InferenceRequestReader.ReadChat(await JsonBody.ReadAsync<ChatRequest>(context.Request, context.RequestAborted), context.TraceIdentifier);
        var grain = grains.GetGrain<IInferenceGrain>(InferenceCallKeys.NewKey(caller));
        return await ServerSentEvents.StreamAsync(context, grain.ChatAsync(caller, call, context.RequestAborted));
    }

    private static async Task<IResult> RagAsync(HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        var call = InferenceRequestReader.ReadRag(await JsonBody.ReadAsync<RagRequest>(context.Request, context.RequestAborted), context.TraceIdentifier);
        var grain = grains.GetGrain<IInferenceGrain>(InferenceCallKeys.NewKey(caller));
        return await ServerSentEvents.StreamAsync(context, grain.RagAsync(caller, call, context.RequestAborted));
    }

    private static async Task<IResult> AskAsync(string id, HttpContext context, IGrainFactory grains)
    {
        var caller = context.GetCaller();
        // A malformed id is as absent as a missing one (as on the other document routes).
        var documentId = Guid.TryParse(id, out var parsed) ? parsed : throw new NotFoundException("No document exists with this id.");
        var body = await JsonBody.ReadAsync<DocumentAskRequest>(context.Request, context.RequestAborted);
        var call = InferenceRequestReader.ReadAsk(documentId, body, context.TraceIdentifier);
        var grain = grains.GetGrain<IInferenceGrain>(InferenceCallKeys.NewKey(caller));
        return await ServerSentEvents.StreamAsync(context, grain.AskAsync(caller, call, context.RequestAborted));
    }
}
