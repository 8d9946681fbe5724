using System.Collections.Concurrent;
using System.Text;
using Vectros.Grains.Indexing;

namespace Vectros.Api.Tests;

/// <summary>
/// The hashing embedder, observed and steerable: records every text it is given, throws for texts containing
/// <see cref="FailMarker"/> (as a network failure would) or <see cref="RejectMarker"/> (a permanent refusal), and holds texts containing <see cref="HoldMarker"/> until <see cref="Release"/> (or
/// shutdown cancels the call).
/// </summary>
public sealed class ObservedEmbedder : IEmbedder
{
    public const string FailMarker = "failme";
    public const string RejectMarker = "rejectme";
    public const string HoldMarker = "holdme";

    private readonly HashingEmbedder _inner = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>Completes when a held call has started.</summary>
    public TaskCompletionSource Held { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, every call holds (not only marked texts): a stand-in for a slow model.</summary>
    public bool HoldEverything { get; set; }

    public string Model => _inner.Model;

    public int Dimensions => _inner.Dimensions;

    public void Release() => _release.TrySetResult();

    /// <summary>Holds marked texts again (after <see cref="Release"/>), with a fresh <see cref="Held"/>.</summary>
    public void Rearm()
    {
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        foreach (var text in texts)
        {
            Seen.Enqueue(text);
        }

        if (texts.Any(t => t.Contains(FailMarker, StringComparison.Ordinal)))
        {
            throw new HttpRequestException("The fake model is down.");
        }

        if (texts.Any(t => t.Contains(RejectMarker, StringComparison.Ordinal)))
        {
            throw new EmbeddingException("The fake model refuses this input (400).", transient: false);
        }

        if (HoldEverything || texts.Any(t => t.Contains(HoldMarker, StringComparison.Ordinal)))
        {
            Held.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        return await _inner.EmbedAsync(texts, cancellationToken);
    }
}

/// <summary>
/// A test-only extractor: <c>text/plain</c> as UTF-8; <c>application/x-corrupt</c> fails to parse; any other type is
/// unsupported. Files named <see cref="HoldName"/> wait for <see cref="Release"/>.
/// </summary>
public sealed class PlainTextExtractor : ITextExtractor
{
    public const string HoldName = "hold.txt";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _release.TrySetResult();

    public async Task<ExtractedText> ExtractAsync(ReadOnlyMemory<byte> content, string fileType, string? fileName, CancellationToken cancellationToken)
    {
        if (fileName == HoldName)
        {
            Held.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }

        return fileType switch
        {
            "text/plain" => ExtractedText.Of(Encoding.UTF8.GetString(content.Span)),
            "application/x-corrupt" => ExtractedText.Failed("The file is corrupt."),
            _ => ExtractedText.Unsupported(fileType),
        };
    }
}
