using System.ComponentModel.DataAnnotations;

namespace Vectros.Grains.Inference;

/// <summary>How chat, RAG and ask calls are streamed and billed, bound from <c>Vectros:Inference:Calls</c>.</summary>
public sealed class InferenceCallOptions
{
    public const string Section = "Vectros:Inference:Calls";

    /// <summary>A heartbeat event goes out when the model has been silent this long (keeps proxies and Orleans' 30 s response timeout at bay).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The flat platform fee of every chat, RAG and ask call, in milli-credits, drawn from the monthly allowance.</summary>
    [Range(0, 1_000_000)]
    public long PlatformFeeMilli { get; set; } = 100;

    /// <summary>At most this many tokens of search passages go into a RAG prompt, however large the model's window.</summary>
    [Range(100, 2_000_000)]
    public int RagContextTokenCap { get; set; } = 16_000;

    /// <summary>Ask refuses a document whose text is longer than this (spec: 413 over 32K tokens, nothing charged).</summary>
    [Range(1, 2_000_000)]
    public int AskMaxDocumentTokens { get; set; } = 32_000;

    /// <summary>Chat refuses a conversation longer than this many tokens (413) before any model call.</summary>
    [Range(1, 2_000_000)]
    public int ChatMaxPromptTokens { get; set; } = 100_000;

    /// <summary>A hold the call never settled (its silo died mid-stream) stops counting against the balance after this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan HoldLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The largest single top-up the developer portal accepts, in cents.</summary>
    [Range(1, long.MaxValue)]
    public long MaxTopUpCents { get; set; } = 1_000_000;
}
