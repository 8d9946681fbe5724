using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vectros.Grains.Abstractions.Access;
using Vectros.Grains.Abstractions.Documents;
using Vectros.Grains.Abstractions.Errors;
using Vectros.Grains.Abstractions.Inference;
using Vectros.Grains.Abstractions.Search;
using Vectros.Grains.Metering;

namespace Vectros.Grains.Inference;

/// <summary>
/// One chat, RAG or ask call (see <see cref="IInferenceGrain"/> for why one activation per call). Each endpoint first
/// prepares its call (validation, search or document gate, prompt) and may refuse it; then the allowance is demanded
/// and the call's maximum cost reserved from the prepaid balance, and only then does the model run. The charge is
/// settled in a finally block, so a failed or cancelled stream is charged exactly for the tokens it used.
/// </summary>
public sealed partial class InferenceGrain(
    IChatModelRegistry models,
    IUsageMeter meter,
    IOptions<InferenceCallOptions> options,
    TimeProvider time,
    ILogger<InferenceGrain> logger) : Grain, IInferenceGrain
{
    private static readonly HashSet<string> Roles = ["system", "user", "assistant"];

    private InferenceCallOptions Options => options.Value;

    public async IAsyncEnumerable<InferenceEvent> ChatAsync(CallerContext caller, ChatCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Admit(caller);
        var (descriptor, model) = Resolve(call.Settings);
        if (call.Messages.Count == 0)
        {
            throw new ValidationException("messages", "messages must hold at least one message.");
        }

        for (var i = 0; i < call.Messages.Count; i++)
        {
            // The same field path as the front doors' shared reader (InferenceRequestReader.ReadChat), for a direct caller.
            if (!Roles.Contains(call.Messages[i].Role))
            {
                throw new ValidationException($"messages[{i}].role", $"messages[{i}].role must be system, user or assistant.");
            }
        }

        var turns = call.Messages.Where(m => m.Role != "system").Select(m => new ChatModelTurn(m.Role, m.Content)).ToList();
        if (turns.Count == 0 || turns[^1].Role != "user")
        {
            throw new ValidationException("messages", "The last message that is not a system message must come from the user.");
        }

        var system = string.Join("\n\n", call.Messages.Where(m => m.Role == "system").Select(m => m.Content));
        var prompt = new ChatModelPrompt
        {
            System = system.Length == 0 ? null : system,
            Turns = turns,
            Question = turns[^1].Content,
            MaxTokens = call.Settings.MaxTokens,
            Temperature = call.Settings.Temperature,
            TopP = call.Settings.TopP,
        };
        var inputTokens = InputTokens(prompt);
        if (inputTokens > Math.Min(Options.ChatMaxPromptTokens, descriptor.ContextWindow - call.Settings.MaxTokens))
        {
            throw new TooLargeException(
                $"The conversation is about {inputTokens} tokens; with maxTokens {call.Settings.MaxTokens} it does not fit the model's context window. Shorten the messages or lower maxTokens.");
        }

        await foreach (var e in StreamAsync(caller, "chat", call.Settings, descriptor, model, prompt, inputTokens, [], cancellationToken))
        {
            yield return e;
        }
    }

    public async IAsyncEnumerable<InferenceEvent> RagAsync(CallerContext caller, RagCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Admit(caller);
        var (descriptor, model) = Resolve(call.Settings);
        var started = Stopwatch.GetTimestamp();
        var outcome = await GrainFactory.GetGrain<ISearchGrain>(caller.ContextKey).SearchAsync(caller, call.Search, cancellationToken);
        var searchMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

        var fixedTokens = GroundedPrompt.FixedTokens(call.Search.Query, call.Instructions);
        var budget = Math.Min(Options.RagContextTokenCap, descriptor.ContextWindow - call.Settings.MaxTokens - fixedTokens);
        if (budget < 0)
        {
            throw new ValidationException("maxTokens", $"maxTokens {call.Settings.MaxTokens} leaves no room for the question in the model's context window.");
        }

        var passages = GroundedPrompt.Fit(outcome.Results, budget);
        var prompt = GroundedPrompt.Build(passages, call.Search.Query, call.Instructions, call.Settings.MaxTokens, call.Settings.Temperature, call.Settings.TopP);
        List<InferenceEvent> lead =
        [
            new InferenceSearchResults
            {
                Results = outcome.Results,
                TotalResults = outcome.TotalResults,
                SearchTimeMs = searchMs,
                DegradedLegs = outcome.DegradedLegs,
            },
        ];
        if (passages.Count < outcome.Results.Count)
        {
            lead.Add(new InferenceTruncationWarning { ResultsRequested = outcome.Results.Count, ResultsUsed = passages.Count });
        }

        await foreach (var e in StreamAsync(caller, "rag", call.Settings, descriptor, model, prompt, InputTokens(prompt), lead, cancellationToken))
        {
            yield return e;
        }
    }

    public async IAsyncEnumerable<InferenceEvent> AskAsync(CallerContext caller, AskCall call, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Admit(caller);
        var (descriptor, model) = Resolve(call.Settings);
        if (string.IsNullOrWhiteSpace(call.Prompt))
        {
            throw new ValidationException("prompt", "prompt is required and must not be empty.");
        }

        // The same read gate as GET /v1/documents/{id}/text: a foreign or invisible id is a 404.
        var document = GrainFactory.GetGrain<IDocumentGrain>(caller.KeyFor(call.DocumentId.ToString()));
        var view = await document.GetAsync(caller);
        if (view.IndexStatus != "INDEXED")
        {
            throw new ConflictException("DOCUMENT_NOT_READY", $"The document is {view.IndexStatus}, not INDEXED: ask once it is indexed.");
        }

        DocumentText text;
        try
        {
            text = await document.GetTextAsync(caller);
        }
        catch (NotFoundException)
        {
            throw new ConflictException("DOCUMENT_NOT_READY", "The document has no stored text to answer from.");
        }

        var documentTokens = TokenEstimator.Count(text.Text);
        if (documentTokens > Options.AskMaxDocumentTokens)
        {
            throw new TooLargeException($"The document is about {documentTokens} tokens; ask answers from documents of at most {Options.AskMaxDocumentTokens}.");
        }

        var passage = new GroundingPassage(call.DocumentId.ToString(), text.Text, view.Title);
        var prompt = GroundedPrompt.Build([passage], call.Prompt, call.Instructions, call.Settings.MaxTokens, call.Settings.Temperature, call.Settings.TopP);
        var inputTokens = InputTokens(prompt);
        if (inputTokens + call.Settings.MaxTokens > descriptor.ContextWindow)
        {
            throw new TooLargeException($"The document and prompt (about {inputTokens} tokens) with maxTokens {call.Settings.MaxTokens} do not fit the model's context window.");
        }

        InferenceEvent[] lead =
        [
            new InferenceDocumentContext
            {
                DocumentId = call.DocumentId,
                Title = view.Title,
                TextBytes = Encoding.UTF8.GetByteCount(text.Text),
                Model = descriptor.Id,
            },
        ];
        await foreach (var e in StreamAsync(caller, "ask", call.Settings, descriptor, model, prompt, inputTokens, lead, cancellationToken))
        {
            yield return e;
        }
    }

    /// <summary>The front end checks the scope too; the grain does not rely on it. A caller from another context finds nothing.</summary>
    private void Admit(CallerContext caller)
    {
        if (!this.GetPrimaryKeyString().StartsWith(caller.ContextKey + "#", StringComparison.Ordinal))
        {
            throw new NotFoundException("Not found.");
        }

        if (!caller.Can("inference:r"))
        {
            throw new ForbiddenException("This operation requires the 'inference:r' scope.");
        }
    }

    private (ModelDescriptor Descriptor, IChatModel Model) Resolve(InferenceSettings settings)
    {
        var id = settings.Model ?? models.Catalog.DefaultModel;
        var descriptor = models.Catalog.Models.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));
        return descriptor is not null && models.Find(id) is { } model
            ? (descriptor, model)
            : throw new ValidationException("model", "model is not one of the models GET /v1/models lists.");
    }

    private static int InputTokens(ChatModelPrompt prompt) =>
        TokenEstimator.Count(prompt.System) + prompt.Turns.Sum(t => TokenEstimator.Count(t.Content) + 4);

    /// <summary>
    /// Demands the allowance, reserves the maximum cost, then yields the lead events and the model's deltas (with
    /// heartbeats while it is silent), and always settles: a refused call charges nothing, any other is charged the
    /// tokens it used.
    /// </summary>
    private async IAsyncEnumerable<InferenceEvent> StreamAsync(
        CallerContext caller,
        string endpoint,
        InferenceSettings settings,
        ModelDescriptor descriptor,
        IChatModel model,
        ChatModelPrompt prompt,
        int estimatedInputTokens,
        IReadOnlyList<InferenceEvent> lead,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await meter.PlanOfAsync(caller.TenantId, cancellationToken) is { Length: > 0 } plan && !descriptor.AvailableOn.Contains(plan))
        {
            // Spec 402: "the requested model is not available on your plan"; the remedy is the plan's, as for the allowance.
            throw new PaymentRequiredException(PaymentRequiredException.SubscriptionLimitExceeded,
                $"The model '{descriptor.Id}' is not available on the '{plan}' plan; it is offered on: {string.Join(", ", descriptor.AvailableOn)}.");
        }

        await meter.DemandAllowanceAsync(caller.TenantId, cancellationToken);
        var balance = GrainFactory.GetGrain<IInferenceBalanceGrain>(caller.TenantId);
        var hold = await balance.ReserveAsync(InferencePricing.Cents(descriptor, estimatedInputTokens, settings.MaxTokens));

        var call = new CallProgress(estimatedInputTokens);

        // The model's own token: disposing the stream (not only cancelling it) must stop the model call too.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        IAsyncEnumerator<ChatModelChunk>? chunks = null;
        Task<bool>? pending = null;
        try
        {
            foreach (var e in lead)
            {
                yield return e;
            }

            chunks = model.StreamAsync(prompt, stop.Token).GetAsyncEnumerator(stop.Token);
            call.ModelCalled = true;
            var yielded = lead.Count;
            while (true)
            {
                pending ??= chunks.MoveNextAsync().AsTask();
                using (var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    var heartbeat = Task.Delay(Options.HeartbeatInterval, time, quiet.Token);
                    if (await Task.WhenAny(pending, heartbeat) != pending)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return new InferenceHeartbeat();
                        continue;
                    }

                    await quiet.CancelAsync();
                }

                var (hasChunk, failure) = await Observe(pending);
                pending = null;
                if (failure is not null)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    LogModelFailed(logger, failure, descriptor.Id, endpoint);
                    if (yielded == 0)
                    {
                        // Nothing went out yet: the caller still gets a plain HTTP error, not a stream.
                        throw new UnavailableException("The model failed before answering; retry the request.", "INFERENCE_ERROR");
                    }

                    yield return new InferenceError("inference_error", "The model failed while answering; the answer is incomplete.");
                    yield break;
                }

                if (!hasChunk)
                {
                    break;
                }

                var chunk = chunks.Current;
                if (chunk.Usage is { } usage)
                {
                    call.Usage = usage;
                }

                if (!string.IsNullOrEmpty(chunk.Delta))
                {
                    call.Output.Append(chunk.Delta);
                    yielded++;
                    yield return new InferenceContentDelta(chunk.Delta);
                }
            }

            var done = await SettleAsync(caller, endpoint, settings, descriptor, balance, hold, call);
            yield return done;
        }
        finally
        {
            if (pending is not null)
            {
                await stop.CancelAsync();
                await Observe(pending);
            }

            if (chunks is not null)
            {
                await chunks.DisposeAsync();
            }

            if (!call.Settled)
            {
                await SettleAsync(caller, endpoint, settings, descriptor, balance, hold, call);
            }

            DeactivateOnIdle();
        }
    }

    private async Task<InferenceDone> SettleAsync(
        CallerContext caller, string endpoint, InferenceSettings settings, ModelDescriptor descriptor,
        IInferenceBalanceGrain balance, InferenceHold hold, CallProgress call)
    {
        call.Settled = true;

        // Tokens actually used: the model's own count, else an estimate of what went in and what came out; a model
        // that failed before answering anything used nothing we can measure, and is not charged.
        var (input, output) = call.Usage is { } usage ? (usage.InputTokens, usage.OutputTokens)
            : call.Output.Length > 0 ? (call.EstimatedInputTokens, TokenEstimator.Count(call.Output.ToString()))
            : (0, 0);
        var cents = InferencePricing.Cents(descriptor, input, output);
        await balance.SettleAsync(hold, new InferenceCharge
        {
            ChargeId = $"charge:{this.GetPrimaryKeyString()}",
            Cents = cents,
            Model = descriptor.Id,
            Endpoint = endpoint,
            InputTokens = input,
            OutputTokens = output,
            ContextId = caller.ContextId,
            RequestId = settings.RequestId,
        });

        var fee = call.ModelCalled ? Options.PlatformFeeMilli : 0;
        if (call.ModelCalled)
        {
            await meter.CountAsync(caller.TenantId, caller.ContextId,
            [
                new UsageIncrement(UsageMetrics.Inference(endpoint, "calls"), 1),
                new UsageIncrement(UsageMetrics.Inference(endpoint, "inputTokens"), input),
                new UsageIncrement(UsageMetrics.Inference(endpoint, "outputTokens"), output),
                new UsageIncrement(UsageMetrics.PlatformCreditsMilli, fee),
            ]);
        }

        return new InferenceDone
        {
            InputTokens = input,
            OutputTokens = output,
            Model = descriptor.Id,
            PlatformCreditsCharged = fee / 1000.0,
            InferenceBalanceCentsCharged = cents,
        };
    }

    private static async Task<(bool HasChunk, Exception? Failure)> Observe(Task<bool> pending)
    {
        try
        {
            return (await pending, null);
        }
        catch (Exception ex)
        {
            return (false, ex);
        }
    }

    /// <summary>What one call has used so far, for the settlement.</summary>
    private sealed class CallProgress(int estimatedInputTokens)
    {
        public int EstimatedInputTokens { get; } = estimatedInputTokens;
        public StringBuilder Output { get; } = new();
        public ChatModelUsage? Usage { get; set; }
        public bool ModelCalled { get; set; }
        public bool Settled { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Model} failed mid-call on {Endpoint}")]
    private static partial void LogModelFailed(ILogger logger, Exception exception, string model, string endpoint);
}
