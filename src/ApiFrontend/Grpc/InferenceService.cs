using Grpc.Core;
using Orleans;
using Vectros.ApiFrontend.Auth;
using Vectros.ApiFrontend.Contracts;
using Vectros.ApiFrontend.Endpoints;
using Vectros.ApiFrontend.Http;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;
using V1 = Vectros.V1;

namespace Vectros.ApiFrontend.Grpc;

/// <summary>
/// <c>vectros.v1.Inference</c>: <see cref="InferenceApi"/> with one proto message per SSE event. Same scope
/// (<c>inference:r</c>), same readers (<see cref="InferenceRequestReader"/>, so both front doors name the same
/// field, e.g. <c>messages[1].content</c>), same grain. The call's token is the grain enumeration's token, so a client
/// that cancels, or a deadline that passes, cancels the model call as a closed SSE connection does.
/// </summary>
public sealed class InferenceService(IGrainFactory grains) : V1.Inference.InferenceBase
{
    private const string Scope = "inference:r";

    public override Task Chat(V1.ChatRequest request, IServerStreamWriter<V1.InferenceStreamEvent> responseStream, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand(Scope);
        var caller = http.GetCaller();
        var body = new ChatRequest
        {
            Messages = [.. request.Messages.Select(m => new ChatMessageRequest(Role(m.Role), m.Content))],
            Model = request.HasModel ? request.Model : null,
            MaxTokens = request.HasMaxTokens ? request.MaxTokens : null,
            Temperature = request.HasTemperature ? request.Temperature : null,
            TopP = request.HasTopP ? request.TopP : null,
            AllowGlobalRegion = request.HasAllowGlobalRegion ? request.AllowGlobalRegion : null,
        };
        var call = InferenceRequestReader.ReadChat(body, http.TraceIdentifier);
        var grain = grains.GetGrain<IInferenceGrain>(InferenceCallKeys.NewKey(caller));
        return StreamAsync(grain.ChatAsync(caller, call, context.CancellationToken), responseStream, context);
    }

    public override Task Rag(V1.RagRequest request, IServerStreamWriter<V1.InferenceStreamEvent> responseStream, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand(Scope);
        var caller = http.GetCaller();
        var search = request.Search ?? new V1.RagSearch();
        var body = new RagRequest
        {
            Query = request.Query,
            Instructions = request.HasInstructions ? request.Instructions : null,
            Model = request.HasModel ? request.Model : null,
            MaxTokens = request.HasMaxTokens ? request.MaxTokens : null,
            Temperature = request.HasTemperature ? request.Temperature : null,
            AllowGlobalRegion = request.HasAllowGlobalRegion ? request.AllowGlobalRegion : null,
            Search = new RagSearchRequest
            {
                Mode = ProtoValues.Wire(search.Mode),
                Limit = search.HasLimit ? search.Limit : null,
                Filters = SearchService.Filters(search.Filters),
                UserId = search.HasUserId ? search.UserId : null,
                OrgId = search.HasOrgId ? search.OrgId : null,
                ClientId = search.HasClientId ? search.ClientId : null,
                Scope = search.HasScope ? search.Scope : null,
                ContentTypes = SearchService.ContentTypes(search.ContentTypes),
                FolderId = search.HasFolderId ? search.FolderId : null,
                RootFolderId = search.HasRootFolderId ? search.RootFolderId : null,
                TypeName = search.HasTypeName ? search.TypeName : null,
                CreatedAfter = search.CreatedAfter is { } after ? ProtoValues.FormatTimestamp(after) : null,
                CreatedBefore = search.CreatedBefore is { } before ? ProtoValues.FormatTimestamp(before) : null,
                RequireComplete = search.HasRequireComplete ? search.RequireComplete : null,
            },
        };
        var call = InferenceRequestReader.ReadRag(body, http.TraceIdentifier);
        var grain = grains.GetGrain<IInferenceGrain>(InferenceCallKeys.NewKey(caller));
        return StreamAsync(grain.RagAsync(caller, call, context.CancellationToken), responseStream, context);
    }

    public override Task AskDocument(V1.AskDocumentRequest request, IServerStreamWriter<V1.InferenceStreamEvent> responseStream, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        http.Demand(Scope);
        var caller = http.GetCaller();
        // A malformed id is as absent as a missing one (as on the HTTP route).
        var documentId = Guid.TryParse(request.Id, out var parsed) ? parsed : throw new NotFoundException("No document exists with this id.");
        var body = new DocumentAskRequest
        {
            Prompt = request.Prompt,
            Instructions = request.HasInstructions ? request.Instructions : null,
            Model = request.HasModel ? request.Model : null,
            MaxTokens = request.HasMaxTokens ? request.MaxTokens : null,
            Temperature = request.HasTemperature ? request.Temperature : null,
            AllowGlobalRegion = request.HasAllowGlobalRegion ? request.AllowGlobalRegion : null,
        };
        var call = InferenceRequestReader.ReadAsk(documentId, body, http.TraceIdentifier);
        var grain = grains.GetGrain<IInferenceGrain>(InferenceCallKeys.NewKey(caller));
        return StreamAsync(grain.AskAsync(caller, call, context.CancellationToken), responseStream, context);
    }

    /// <summary>
    /// As <see cref="ServerSentEvents.StreamAsync"/>: what throws before the first event fails the call with its status;
    /// a failure after that is an <c>error</c> event that ends the stream; the client leaving just ends it.
    /// </summary>
    private static async Task StreamAsync(
        IAsyncEnumerable<InferenceEvent> events, IServerStreamWriter<V1.InferenceStreamEvent> responseStream, ServerCallContext context)
    {
        var cancelled = context.CancellationToken;
        await using var enumerator = events.GetAsyncEnumerator(cancelled);
        if (!await enumerator.MoveNextAsync())
        {
            throw new InvalidOperationException("An inference stream ended before its first event.");
        }

        try
        {
            do
            {
                if (Message(enumerator.Current) is { } message)
                {
                    await responseStream.WriteAsync(message, cancelled);
                }
            }
            while (await enumerator.MoveNextAsync());
        }
        catch (Exception) when (!cancelled.IsCancellationRequested)
        {
            await responseStream.WriteAsync(Message(new InferenceError("inference_error", "The stream failed; the answer is incomplete."))!, cancelled);
        }
    }

    /// <summary>The message of a grain event (the SSE body's fields); null for a heartbeat, which HTTP/2 does not need.</summary>
    internal static V1.InferenceStreamEvent? Message(InferenceEvent e) => e switch
    {
        InferenceContentDelta d => new() { ContentDelta = new V1.ContentDelta { Delta = d.Delta } },
        InferenceDone d => new()
        {
            Done = new V1.Done
            {
                InputTokens = d.InputTokens,
                OutputTokens = d.OutputTokens,
                Model = d.Model,
                PlatformCreditsCharged = d.PlatformCreditsCharged,
                InferenceBalanceCentsCharged = d.InferenceBalanceCentsCharged,
            },
        },
        InferenceError x => new() { Error = new V1.StreamError { Message = x.Message, Code = x.Code } },
        InferenceDocumentContext c => new() { DocumentContext = DocumentContext(c) },
        InferenceSearchResults r => new()
        {
            SearchResults = new V1.SearchResults
            {
                Results = { r.Results.Select(SearchService.Hit) },
                TotalResults = r.TotalResults,
                SearchTimeMs = r.SearchTimeMs,
                Degraded = r.DegradedLegs.Count > 0,
                DegradedLegs = { r.DegradedLegs },
            },
        },
        InferenceTruncationWarning w => new()
        {
            TruncationWarning = new V1.TruncationWarning { ResultsRequested = w.ResultsRequested, ResultsUsed = w.ResultsUsed, Reason = w.Reason },
        },
        _ => null,
    };

    private static V1.DocumentContext DocumentContext(InferenceDocumentContext c)
    {
        var message = new V1.DocumentContext { DocumentId = c.DocumentId.ToString(), TextBytes = c.TextBytes, Model = c.Model };
        if (c.Title is { } title)
        {
            message.Title = title;
        }

        return message;
    }

    /// <summary>The HTTP role names; unspecified or undefined passes as text the reader refuses naming <c>messages[i].role</c>.</summary>
    private static string? Role(V1.ChatRole role) => role switch
    {
        V1.ChatRole.Unspecified => null,
        _ => ProtoValues.Wire(role)!.ToLowerInvariant(),
    };
}
