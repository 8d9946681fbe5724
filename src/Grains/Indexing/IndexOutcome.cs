using System.Text.Json.Nodes;
using Pgvector;

namespace Vectros.Grains.Indexing;

/// <summary>Why a source failed to index: spec IndexFailure <c>{code, message}</c> (API-DELTA §2). Messages never carry payload values.</summary>
internal sealed record IndexFailure(string Code, string Message)
{
    public const string SourceUnavailable = "SOURCE_UNAVAILABLE";
    public const string TextIndexFailed = "TEXT_INDEX_FAILED";
    public const string EmbeddingFailed = "EMBEDDING_FAILED";
    public const string IndexingFailed = "INDEXING_FAILED";

    public JsonObject ToJson() => new() { ["code"] = Code, ["message"] = Message };
}

/// <summary>A chunk and its vector (null in TEXT mode, where only the full-text lane indexes it).</summary>
internal sealed record EmbeddedChunk(TextChunk Chunk, Vector? Embedding);

/// <summary>
/// The end of one indexing run: the source's new processing state, the chunk set that replaces the old one whole
/// (empty when nothing is searchable), and whether the change is announced in the events outbox.
/// </summary>
internal sealed record IndexOutcome(string IndexStatus, IndexFailure? Failure, IReadOnlyList<EmbeddedChunk> Chunks, bool Announce)
{
    public static IndexOutcome Indexed(IReadOnlyList<EmbeddedChunk> chunks) => new("INDEXED", null, chunks, Announce: true);

    /// <summary>No indexable text: stored and readable, not searchable; not an error (spec L8400).</summary>
    public static IndexOutcome Skipped() => new("SKIPPED", null, [], Announce: true);

    /// <summary>Archived sources leave search; the state says nothing is indexed, and no event reports it (it is not an indexing result).</summary>
    public static IndexOutcome Archived() => new("SKIPPED", null, [], Announce: false);

    /// <summary>Documents with indexMode NONE: kept, by design never searchable.</summary>
    public static IndexOutcome Stored() => new("STORED", null, [], Announce: false);

    public static IndexOutcome Failed(IndexFailure failure) => new("FAILED", failure, [], Announce: true);

    /// <summary><c>record.indexed</c>, <c>document.failed</c>, …: the events row's type for a source of this kind.</summary>
    public string EventType(string sourceKind) => $"{sourceKind}.{(IndexStatus == "FAILED" ? "failed" : "indexed")}";
}

/// <summary>
/// Thrown by an indexing step with the failure code it stands for (EMBEDDING_FAILED, …). It ends the run as FAILED
/// once the retries are spent, or at once when <see cref="Permanent"/> (trying again cannot help).
/// </summary>
internal sealed class IndexingException(string code, string message, Exception? inner = null, bool permanent = false) : Exception(message, inner)
{
    public string Code { get; } = code;

    public bool Permanent { get; } = permanent;

    /// <summary>Whether the run that threw <paramref name="ex"/> on attempt <paramref name="attempts"/> ends FAILED now (else the outbox retries it).</summary>
    public static bool EndsRun(Exception ex, int attempts, int maxAttempts) =>
        attempts >= maxAttempts || ex is IndexingException { Permanent: true };
}
