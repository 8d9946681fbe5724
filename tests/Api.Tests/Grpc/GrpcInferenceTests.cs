using System.Net;
using Grpc.Core;
using Vectros.Api.Tests.Inference;
using Vectros.TestSupport;
using Vectros.V1;
using Xunit;
using V1 = Vectros.V1;

namespace Vectros.Api.Tests.Grpc;

/// <summary>
/// Inference over gRPC (issue #12 items 1, 4, 5): one message per SSE event of <c>/v1/chat</c>, <c>/v1/rag</c> and
/// <c>/v1/documents/{id}/ask</c>, the same readers and grain; cancelling the call or passing its deadline cancels the model.
/// </summary>
[Collection(InferenceCollection.Name)]
public sealed class GrpcInferenceTests(InferenceServerFixture fixture) : InferenceTestBase(fixture)
{
    private static async Task<List<InferenceStreamEvent>> ReadAllAsync(AsyncServerStreamingCall<InferenceStreamEvent> call)
    {
        using (call)
        {
            var events = new List<InferenceStreamEvent>();
            await foreach (var e in call.ResponseStream.ReadAllAsync())
            {
                events.Add(e);
            }

            return events;
        }
    }

    private static async Task<GrpcFailure> FailsAsync(Func<Task> call) =>
        GrpcFailure.From(await Assert.ThrowsAsync<RpcException>(call));

    /// <summary>The SSE event name of a message: the oneof member's proto name.</summary>
    private static string Name(InferenceStreamEvent e) =>
        InferenceStreamEvent.Descriptor.Oneofs[0].Fields.Single(f => f.FieldNumber == (int)e.EventCase).Name;

    [Fact]
    public async Task Rag_stream_has_the_sse_event_sequence_and_the_same_search_results()
    {
        await TopUpAsync(100);
        var id = await IndexedDocumentAsync("Returns", "Our returns policy: items may be returned within thirty days with a receipt.");
        await IndexedDocumentAsync("Garden", "Tomatoes need full sun and regular watering.");

        var http = await StreamAsync("/v1/rag", new { query = "returns policy receipt", search = new { mode = "TEXT", limit = 5 } });
        Assert.Equal(HttpStatusCode.OK, http.Status);

        using var channel = Server.CreateGrpcChannel(Partner.TestKey.RawKey);
        var events = await ReadAllAsync(new V1.Inference.InferenceClient(channel).Rag(new RagRequest
        {
            Query = "returns policy receipt",
            Search = new RagSearch { Mode = SearchMode.Text, Limit = 5 },
        }));

        Assert.Equal(http.Types, events.Select(Name));
        var httpResults = Json(http.Sse!.Events[0]).GetProperty("results").EnumerateArray().Select(r => r.GetProperty("documentId").GetString()).ToList();
        Assert.Equal(httpResults, events[0].SearchResults.Results.Select(r => r.DocumentId));
        Assert.Contains(id, httpResults);
        Assert.Equal(http.Text, string.Concat(events.Where(e => e.EventCase == InferenceStreamEvent.EventOneofCase.ContentDelta).Select(e => e.ContentDelta.Delta)));
        Assert.Equal(http.Last("done").GetProperty("model").GetString(), events[^1].Done.Model);
        Assert.Equal(["rag", "rag"], (await ChargesAsync()).Select(c => c.Endpoint));
    }

    [Fact]
    public async Task Chat_and_ask_stream_their_sse_sequences()
    {
        await TopUpAsync(100);
        using var channel = Server.CreateGrpcChannel(Partner.TestKey.RawKey);
        var client = new V1.Inference.InferenceClient(channel);

        var http = await StreamAsync("/v1/chat", new { messages = new[] { new { role = "user", content = "Hello there" } } });
        var chat = await ReadAllAsync(client.Chat(new ChatRequest { Messages = { new V1.ChatMessage { Role = ChatRole.User, Content = "Hello there" } } }));
        Assert.Equal(http.Types, chat.Select(Name));
        Assert.Equal(http.Text, string.Concat(chat.Where(e => e.EventCase == InferenceStreamEvent.EventOneofCase.ContentDelta).Select(e => e.ContentDelta.Delta)));

        var id = await IndexedDocumentAsync("Warranty", "The warranty lasts two years from the date of purchase.");
        var httpAsk = await StreamAsync($"/v1/documents/{id}/ask", new { prompt = "How long is the warranty?" });
        var ask = await ReadAllAsync(client.AskDocument(new AskDocumentRequest { Id = id, Prompt = "How long is the warranty?" }));
        Assert.Equal(httpAsk.Types, ask.Select(Name));
        Assert.Equal(id, ask[0].DocumentContext.DocumentId);

        var missing = await FailsAsync(() => ReadAllAsync(client.AskDocument(new AskDocumentRequest { Id = "not-a-uuid", Prompt = "What?" })));
        Assert.Equal(StatusCode.NotFound, missing.Code);
    }

    [Fact]
    public async Task Validation_names_the_same_field_as_http_and_scope_is_demanded()
    {
        await TopUpAsync(100);
        using var channel = Server.CreateGrpcChannel(Partner.TestKey.RawKey);
        var client = new V1.Inference.InferenceClient(channel);

        var content = await FailsAsync(() => ReadAllAsync(client.Chat(new ChatRequest
        {
            Messages = { new V1.ChatMessage { Role = ChatRole.User, Content = "hi" }, new V1.ChatMessage { Role = ChatRole.Assistant, Content = " " } },
        })));
        Assert.Equal(StatusCode.InvalidArgument, content.Code);
        Assert.Equal("messages[1].content", content.Field);

        var role = await FailsAsync(() => ReadAllAsync(client.Chat(new ChatRequest { Messages = { new V1.ChatMessage { Content = "hi" } } })));
        Assert.Equal("messages[0].role", role.Field);

        var limit = await FailsAsync(() => ReadAllAsync(client.Rag(new RagRequest { Query = "x", Search = new RagSearch { Limit = 51 } })));
        Assert.Equal(StatusCode.InvalidArgument, limit.Code);
        Assert.Equal("search.limit", limit.Field);

        var query = await FailsAsync(() => ReadAllAsync(client.Rag(new RagRequest { Query = "" })));
        Assert.Equal("query", query.Field);
        Assert.Empty(await ChargesAsync());

        using var scoped = Server.CreateGrpcChannel(await ScopedCredentials.MintAsync(Client, ["search:r", "documents:r"]));
        var denied = await FailsAsync(() => ReadAllAsync(new V1.Inference.InferenceClient(scoped).Rag(new RagRequest { Query = "returns" })));
        Assert.Equal(StatusCode.PermissionDenied, denied.Code);
    }

    [Fact]
    public async Task A_client_that_cancels_a_rag_stream_cancels_the_model_call()
    {
        await TopUpAsync(100);
        await IndexedDocumentAsync("Cancel", "A document about cancelling streams midway.");
        var before = Volatile.Read(ref Fixture.Models.Cancellations);
        using var channel = Server.CreateGrpcChannel(Partner.TestKey.RawKey);
        using var cts = new CancellationTokenSource();
        using var call = new V1.Inference.InferenceClient(channel).Rag(
            new RagRequest { Query = "cancelling streams", Model = ScriptedChatModels.Hanging, Search = new RagSearch { Mode = SearchMode.Text } },
            cancellationToken: cts.Token);

        // Read up to the first answer delta: the model is now hanging on the next one.
        var stream = call.ResponseStream;
        do
        {
            Assert.True(await stream.MoveNext(cts.Token));
        }
        while (stream.Current.EventCase != InferenceStreamEvent.EventOneofCase.ContentDelta);

        await cts.CancelAsync();
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref Fixture.Models.Cancellations) > before), "the model call saw the cancellation");
        await Poll.UntilAsync(async () => (await ChargesAsync()).Count == 1, "the cancelled call settled");
    }

    [Fact]
    public async Task A_deadline_that_passes_mid_stream_ends_deadline_exceeded_and_cancels_the_model()
    {
        await TopUpAsync(100);
        var before = Volatile.Read(ref Fixture.Models.Cancellations);
        using var channel = Server.CreateGrpcChannel(Partner.TestKey.RawKey);
        var client = new V1.Inference.InferenceClient(channel);
        var request = new ChatRequest { Model = ScriptedChatModels.Hanging, Messages = { new V1.ChatMessage { Role = ChatRole.User, Content = "hang on" } } };

        // The hanging model never finishes: only the deadline can end this call.
        var expired = await FailsAsync(() => ReadAllAsync(client.Chat(request, deadline: DateTime.UtcNow.AddSeconds(3))));
        Assert.Equal(StatusCode.DeadlineExceeded, expired.Code);
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref Fixture.Models.Cancellations) > before), "the model call saw the deadline");
    }
}
