using System.Runtime.CompilerServices;
using Vectros.Grains.Abstractions.Inference;
using Vectros.Grains.Inference;

namespace Vectros.TestSupport;

/// <summary>
/// Chat models whose behaviour a test picks by alias, behind the real <see cref="IChatModelRegistry"/> seam:
/// <c>scripted</c> answers from the passages with citations (or echoes chat), <c>failing</c> breaks after its second delta,
/// <c>hanging</c> sends one delta then waits for cancellation, <c>slow</c> is silent before answering. Every call and
/// every cancellation is recorded in <see cref="Calls"/> and <see cref="Cancellations"/>.
/// </summary>
public sealed class ScriptedChatModels : IChatModelRegistry
{
    public const string Scripted = "scripted";
    public const string Failing = "failing";
    public const string Hanging = "hanging";
    public const string Slow = "slow";

    private readonly Dictionary<string, IChatModel> _models;

    public ScriptedChatModels(TimeSpan slowSilence)
    {
        _models = new()
        {
            [Scripted] = new Model(this, Scripted, Behaviour.Answer, slowSilence),
            [Failing] = new Model(this, Failing, Behaviour.Fail, slowSilence),
            [Hanging] = new Model(this, Hanging, Behaviour.Hang, slowSilence),
            [Slow] = new Model(this, Slow, Behaviour.Slow, slowSilence),
        };
        Catalog = new ModelCatalog([.. _models.Keys.Select(Describe)], Scripted);
    }

    public ModelCatalog Catalog { get; }

    public int Calls;

    public int Cancellations;

    /// <summary>The prompts models were called with, by model alias.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Model, ChatModelPrompt Prompt)> Prompts { get; } = new();

    /// <summary>Completes when a <c>hanging</c> call has seen its cancellation.</summary>
    public TaskCompletionSource HangingCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IChatModel? Find(string modelId) => _models.GetValueOrDefault(modelId);

    /// <summary>10 cents per 1K input tokens, 20 per 1K output, US premium 1.5: small calls still cost whole cents.</summary>
    private static ModelDescriptor Describe(string id) => new()
    {
        Id = id,
        Name = $"Scripted {id}",
        Provider = "test",
        ContextWindow = 16_000,
        AvailableOn = ["chat", "rag", "ask"],
        InputCreditsPer1kTokens = 10,
        OutputCreditsPer1kTokens = 20,
        RegionPremiumFactor = 1.5,
        GlobalAvailable = false,
    };

    private enum Behaviour
    {
        Answer,
        Fail,
        Hang,
        Slow,
    }

    private sealed class Model(ScriptedChatModels owner, string id, Behaviour behaviour, TimeSpan silence) : IChatModel
    {
        public string Id => id;

        public async IAsyncEnumerable<ChatModelChunk> StreamAsync(ChatModelPrompt prompt, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref owner.Calls);
            owner.Prompts.Enqueue((id, prompt));
            if (behaviour == Behaviour.Slow)
            {
                await Task.Delay(silence, cancellationToken);
            }

            var deltas = prompt.Passages.Count > 0
                ? ["Grounded answer", " from ", $"[{prompt.Passages[0].CitationId}]", "."]
                : new[] { "You said: ", prompt.Question };
            for (var i = 0; i < deltas.Length; i++)
            {
                if (behaviour == Behaviour.Hang && i == 1)
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                    finally
                    {
                        Interlocked.Increment(ref owner.Cancellations);
                        owner.HangingCancelled.TrySetResult();
                    }
                }

                yield return new ChatModelChunk(deltas[i]);
                if (behaviour == Behaviour.Fail && i == 1)
                {
                    throw new HttpRequestException("upstream reset");
                }
            }

            var input = TokenEstimator.Count(prompt.System) + prompt.Turns.Sum(t => TokenEstimator.Count(t.Content));
            yield return new ChatModelChunk(null, new ChatModelUsage(input, TokenEstimator.Count(string.Concat(deltas))));
        }
    }
}

/// <summary>A usage meter that refuses the tenants a test names (402 SUBSCRIPTION_LIMIT_EXCEEDED) and counts the rest.</summary>
public sealed class RefusingUsageMeter : Vectros.Grains.Metering.IUsageMeter
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Refused { get; } = new();

    public System.Collections.Concurrent.ConcurrentQueue<(string Tenant, Vectros.Grains.Metering.UsageIncrement Increment)> Counted { get; } = new();

    public ValueTask DemandAllowanceAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Refused.ContainsKey(tenantId)
            ? throw new Vectros.Grains.Abstractions.Errors.PaymentRequiredException("SUBSCRIPTION_LIMIT_EXCEEDED", "The month's credit allowance is used up.")
            : ValueTask.CompletedTask;

    public ValueTask CountAsync(string tenantId, string contextId, IReadOnlyList<Vectros.Grains.Metering.UsageIncrement> increments)
    {
        foreach (var increment in increments)
        {
            Counted.Enqueue((tenantId, increment));
        }

        return ValueTask.CompletedTask;
    }
}
